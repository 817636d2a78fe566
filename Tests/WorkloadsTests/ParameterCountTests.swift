import Testing
@testable import Workloads

/// Exact parameter counts of the presets against Hugging Face `model.num_parameters()` (tied
/// weights counted once), and the papers' rounded figures where no checkpoint exists.
@Suite struct ParameterCountTests {
    /// (preset, total, active) as Hugging Face reports them for the checkpoint named in the preset.
    static let exact: [(String, Int, Int)] = [
        ("gpt2", 124_439_808, 124_439_808),
        ("gpt2-xl", 1_557_611_200, 1_557_611_200),
        ("llama-2-7b", 6_738_415_616, 6_738_415_616),
        ("llama-2-13b", 13_015_864_320, 13_015_864_320),
        ("llama-2-70b", 68_976_648_192, 68_976_648_192),
        ("llama-3.1-8b", 8_030_261_248, 8_030_261_248),
        ("llama-3.1-70b", 70_553_706_496, 70_553_706_496),
        ("llama-3.1-405b", 405_853_388_800, 405_853_388_800),
        ("llama-3.2-1b", 1_235_814_400, 1_235_814_400),
        ("llama-3.2-3b", 3_212_749_824, 3_212_749_824),
        ("tinyllama-1.1b", 1_100_048_384, 1_100_048_384),
        ("mistral-7b", 7_241_732_096, 7_241_732_096),
        ("mistral-nemo-12b", 12_247_782_400, 12_247_782_400),
        ("phi-3-mini", 3_821_079_552, 3_821_079_552),
        ("mixtral-8x7b", 46_702_792_704, 12_879_925_248),
        ("mixtral-8x22b", 140_620_634_112, 39_152_031_744),
        ("qwen2.5-0.5b", 494_032_768, 494_032_768),
        ("qwen2.5-1.5b", 1_543_714_304, 1_543_714_304),
        ("qwen2.5-3b", 3_085_938_688, 3_085_938_688),
        ("qwen2.5-7b", 7_615_616_512, 7_615_616_512),
        ("qwen2.5-14b", 14_770_033_664, 14_770_033_664),
        ("qwen2.5-32b", 32_763_876_352, 32_763_876_352),
        ("qwen2.5-72b", 72_706_203_648, 72_706_203_648),
        ("qwen1.5-moe-a2.7b", 14_315_784_192, 2_689_173_504),
        ("bloom-176b", 176_247_271_424, 176_247_271_424),
        // HF bigscience/bloom-7b1 model card / num_parameters().
        ("bloom-7b1", 7_069_016_064, 7_069_016_064),
        ("gpt-neox-20b", 20_554_567_680, 20_554_567_680),
        ("gemma-7b", 8_537_680_896, 8_537_680_896),
        ("gemma-2b", 2_506_172_416, 2_506_172_416),
        ("gemma-2-2b", 2_614_341_888, 2_614_341_888),
        ("gemma-2-9b", 9_241_705_984, 9_241_705_984),
        ("gemma-2-27b", 27_227_128_320, 27_227_128_320),
        ("qwen3-0.6b", 596_049_920, 596_049_920),
        ("qwen3-4b", 4_022_468_096, 4_022_468_096),
        ("qwen3-14b", 14_768_307_200, 14_768_307_200),
        ("phi-4", 14_659_507_200, 14_659_507_200),
        ("falcon-7b", 6_921_720_704, 6_921_720_704),
        // Biderman et al. 2023, Pythia, Table 1's totals (HF EleutherAI/pythia-*); each is
        // 12 l h^2 + 13 l h + 2h of blocks and final norm plus the two V x h tables.
        ("pythia-70m", 70_426_624, 70_426_624),
        ("pythia-160m", 162_322_944, 162_322_944),
        ("pythia-410m", 405_334_016, 405_334_016),
        ("pythia-1b", 1_011_781_632, 1_011_781_632),
        ("pythia-1.4b", 1_414_647_808, 1_414_647_808),
        ("pythia-2.8b", 2_775_208_960, 2_775_208_960),
        ("pythia-6.9b", 6_857_302_016, 6_857_302_016),
        ("pythia-12b", 11_846_072_320, 11_846_072_320),
        // HF facebook/opt-* num_parameters(): the blocks as Pythia's, one tied V x h table and
        // (2,048 + 2) x h learned positions.
        ("opt-125m", 125_239_296, 125_239_296),
        ("opt-1.3b", 1_315_758_080, 1_315_758_080),
        ("opt-2.7b", 2_651_596_800, 2_651_596_800),
        ("opt-6.7b", 6_658_473_984, 6_658_473_984),
        ("opt-13b", 12_853_473_280, 12_853_473_280),
        // HF microsoft/phi-2 num_parameters(): 32 x (12h^2 + 11h) + 2h + 2Vh + V (lm_head bias).
        ("phi-2", 2_779_683_840, 2_779_683_840),
    ]

    @Test(arguments: exact)
    func presetMatchesHuggingFace(name: String, total: Int, active: Int) throws {
        let model = try ModelCatalog.preset(named: name)
        #expect(model.parameterCount.total == total)
        #expect(model.parameterCount.active == active)
        #expect(model.totalParameters == total)
        #expect(model.activeParameters == active)
    }

    /// Narayanan et al. 2021, Table 1: the paper's sizes in billions, to one decimal.
    @Test(arguments: [
        ("megatron-1.7b", 1.7), ("megatron-3.6b", 3.6), ("megatron-7.5b", 7.5), ("megatron-18.4b", 18.4),
        ("megatron-39.1b", 39.1), ("megatron-76.1b", 76.1), ("megatron-145.6b", 145.6),
        ("megatron-310.1b", 310.1), ("megatron-529.6b", 529.6), ("megatron-1t", 1008.0),
    ])
    func megatronTable1(name: String, billions: Double) throws {
        let model = try ModelCatalog.preset(named: name)
        let rounded = (Double(model.parameterCount.total) / 1e8).rounded() / 10
        #expect(rounded == billions)
    }

    /// The paper's own formula, section 5.1: P = 12 l h^2 (1 + 13/(12h) + (V + s)/(12 l h)); ours adds
    /// only the final LayerNorm (2h), which the formula leaves out.
    @Test func megatronFormula() throws {
        for preset in ModelCatalog.presets where preset.family == "megatron-gpt" && preset.name.hasPrefix("megatron-") {
            let m = preset.model
            let (l, h, v, s) = (m.layers, m.hidden, m.vocab, m.maxSeq)
            let paper = 12 * l * h * h + 13 * l * h + (v + s) * h
            #expect(m.parameterCount.total == paper + 2 * h, "\(preset.name)")
        }
    }

    /// DeepSeek-V3, counted by hand from its config.json (hidden 7168, vocabulary 129,280, 61
    /// layers of which 3 dense (ffn 18,432) and 58 MoE (256 routed + 1 shared experts of 2048,
    /// top 8, router with score-correction bias), MLA with q_lora_rank 1536, kv_lora_rank 512,
    /// 128 heads of qk 128 + 64 (rope) and v 128, untied output layer): the 61 layers a Hugging
    /// Face checkpoint loads, without the multi-token-prediction layer. DeepSeek's technical
    /// report gives the rounded sizes: 671B total, 37B activated per token, the latter without
    /// the embedding table (their V2 paper's 21B works out the same way).
    @Test func deepSeekV3() throws {
        let count = try ModelCatalog.preset(named: "deepseek-v3").parameterCount
        let h = 7168, vocab = 129_280, heads = 128
        let attention = h * 1536 + 1536 + 1536 * heads * (128 + 64)      // q_a, q_a norm, q_b
            + h * (512 + 64) + 512 + 512 * heads * (128 + 128)           // kv_a (+ rope key), kv_a norm, kv_b
            + heads * 128 * h                                            // o_proj
        let norms = 2 * h
        let expert = 3 * h * 2048
        let dense = attention + norms + 3 * h * 18432
        func moe(experts: Int) -> Int { attention + norms + experts * expert + expert + 256 * h + 256 }
        let embeddings = 2 * vocab * h + h                               // embedding, lm_head, final norm
        #expect(count.total == embeddings + 3 * dense + 58 * moe(experts: 256))
        #expect(count.active == embeddings + 3 * dense + 58 * moe(experts: 8))
        #expect(abs(Double(count.total) / 671e9 - 1) < 0.005)
        #expect(abs(Double(count.activeNonEmbedding) / 37e9 - 1) < 0.015)
        #expect(count.denseLayers == 3 && count.moeLayers == 58)
    }

    /// Papers that give only rounded sizes, against the paper's figure. Brown et al. 2020 (Table
    /// 2.1) name GPT-3 "175.0B" without a formula; the standard count 12 l h^2 + 13 l h + (V + s) h
    /// + 2h with V = 50,257 and s = 2048 gives 174.6B, 0.23% under, the paper rounding to its
    /// nominal size (OPT-175B, same shape: the same 174.6B). MT-NLG (Smith et al. 2022) 530B,
    /// PaLM (Chowdhery et al. 2022) 540B, Nemotron-4 (NVIDIA 2024) 340B are likewise nominal:
    /// 0.5% covers the rounding, not a modelling error.
    @Test(arguments: [
        ("gpt3-175b", 175.0), ("opt-175b", 175.0), ("mt-nlg-530b", 530.0), ("palm-540b", 540.0),
        ("nemotron-4-340b", 340.0),
    ])
    func roundedPaperSizes(name: String, billions: Double) throws {
        let total = try ModelCatalog.preset(named: name).parameterCount.total
        #expect(abs(Double(total) / (billions * 1e9) - 1) < 0.005, "\(Double(total) / 1e9)B")
    }

    /// PaLM Table 1 (Chowdhery et al. 2022): 8.63B and 62.50B parameters.
    @Test(arguments: [("palm-8b", 8.63), ("palm-62b", 62.50)])
    func palmSizes(name: String, billions: Double) throws {
        let total = try ModelCatalog.preset(named: name).parameterCount.total
        #expect((Double(total) / 1e7).rounded() / 100 == billions)
    }

    /// The breakdown adds up, per layer and in total.
    @Test func breakdownSumsToTotal() {
        for preset in ModelCatalog.presets {
            let c = preset.model.parameterCount
            let byLayer = c.embedding + c.positionEmbedding + c.tokenTypeEmbedding + c.embeddingNorm
                + c.denseLayers * c.perDenseLayer + c.moeLayers * c.perMoELayer + c.decoderLayers * c.perDecoderLayer
                + c.finalNorm + c.pooler + c.outputLayer
            #expect(byLayer == c.total, "\(preset.name)")
            #expect(c.attention + c.mlp + c.norms + c.embedding + c.positionEmbedding + c.tokenTypeEmbedding + c.pooler
                + c.outputLayer == c.total)
            #expect(c.active <= c.total)
            if preset.model.moe == nil { #expect(c.active == c.total, "\(preset.name)") }
        }
    }

    /// GPT-2 small by hand: 12 layers of 12h^2 + 13h, embeddings 50257 x 768 and 1024 x 768, final LN.
    @Test func gpt2Breakdown() throws {
        let c = try ModelCatalog.preset(named: "gpt2").parameterCount
        #expect(c.embedding == 50257 * 768)
        #expect(c.positionEmbedding == 1024 * 768)
        #expect(c.attentionPerLayer == 4 * 768 * 768 + 4 * 768)
        #expect(c.denseMLPPerLayer == 8 * 768 * 768 + 5 * 768)
        #expect(c.normsPerLayer == 4 * 768)
        #expect(c.outputLayer == 0)
        #expect(c.finalNorm == 2 * 768)
    }

    /// Mixtral-8x7B: 8 experts of 3 x 4096 x 14336 per layer, 2 used; router 4096 x 8.
    @Test func mixtralExperts() throws {
        let c = try ModelCatalog.preset(named: "mixtral-8x7b").parameterCount
        #expect(c.routedExpert == 3 * 4096 * 14336)
        #expect(c.routedExpertsPerLayer == 8 * c.routedExpert)
        #expect(c.activeRoutedExpertsPerLayer == 2 * c.routedExpert)
        #expect(c.routerPerLayer == 4096 * 8)
        #expect(c.denseLayers == 0 && c.moeLayers == 32)
    }

    /// Qwen2-MoE's decoder_sparse_step: with step 2 only layers 1, 3, 5, ... are MoE.
    @Test func sparseStep() {
        var model = TransformerModel(name: "t", layers: 6, hidden: 64, heads: 4, ffn: 128, mlp: .swiglu, vocab: 100,
                                     maxSeq: 32, moe: MoEConfig(experts: 4, expertsPerToken: 1, expertFFN: 32,
                                                                layerFrequency: 2))
        #expect((0..<6).map(model.isMoELayer) == [false, true, false, true, false, true])
        #expect(model.moeLayerCount == 3 && model.denseLayerCount == 3)
        model.moe?.denseLayers = 1
        #expect((0..<6).map(model.isMoELayer) == [false, false, true, false, true, false])
        #expect(model.moeLayerCount == 2)
    }
}

import Foundation
import Testing
@testable import Workloads

/// Encoder-only (BERT, RoBERTa) and encoder-decoder (T5, mT5, T0) models: exact parameter counts
/// of real `config.json` files (Fixtures/huggingface) against Hugging Face `num_parameters()`,
/// each expected value either a published figure or a hand calculation written out here from the
/// transformers modeling code (`modeling_bert.py`, `modeling_roberta.py`, `modeling_t5.py`).
@Suite struct EncoderModelTests {
    // MARK: - Hand calculations

    /// HF `BertModel` / `BertForMaskedLM` by hand. Embeddings: word `V h`, positions `P h`, token
    /// types `T h`, LayerNorm `2h`. Each of L layers: Q, K, V, O `4 (h^2 + h)`, attention
    /// LayerNorm `2h`, intermediate `h f + f`, output `f h + h`, LayerNorm `2h`. Pooler `h^2 + h`.
    /// Masked-LM head: transform `h^2 + h`, LayerNorm `2h`, decoder tied to the word embedding,
    /// bias `V`.
    static func bertByHand(vocab V: Int, hidden h: Int, layers L: Int, ffn f: Int, positions P: Int,
                           tokenTypes T: Int, pooler: Bool, maskedLM: Bool) -> Int {
        let embeddings = V * h + P * h + T * h + 2 * h
        let layer = 4 * (h * h + h) + 2 * h + (h * f + f) + (f * h + h) + 2 * h
        return embeddings + L * layer + (pooler ? h * h + h : 0) + (maskedLM ? (h * h + h) + 2 * h + V : 0)
    }

    /// HF `T5ForConditionalGeneration` by hand (inner = heads x d_kv, m = 3 gated else 2, no biases,
    /// T5LayerNorm of d weights). Shared embedding `V d` (plus an untied `lm_head` `V d`). Encoder:
    /// L x (self-attention `4 d inner` + MLP `m d f` + 2 norms `2d`), bias table `32 a` in layer 0,
    /// final norm `d`. Decoder: Ld x (self- and cross-attention `8 d inner` + MLP + 3 norms `3d`),
    /// bias table `32 a`, final norm `d`.
    static func t5ByHand(vocab V: Int, dModel d: Int, ffn f: Int, dKV: Int, heads a: Int, layers L: Int,
                         decoderLayers Ld: Int, gated: Bool, tied: Bool) -> Int {
        let inner = a * dKV
        let m = gated ? 3 : 2
        let encoder = L * (4 * d * inner + m * d * f + 2 * d) + 32 * a + d
        let decoder = Ld * (8 * d * inner + m * d * f + 3 * d) + 32 * a + d
        return V * d * (tied ? 1 : 2) + encoder + decoder
    }

    /// The hand calculations reproduce figures published for Hugging Face checkpoints, so they
    /// can stand in where no figure is published.
    @Test func handCalculationsMatchPublishedCounts() {
        // bert-base-uncased with AutoModel (BertModel, pooler included): 109,482,240.
        #expect(Self.bertByHand(vocab: 30522, hidden: 768, layers: 12, ffn: 3072, positions: 512, tokenTypes: 2,
                                pooler: true, maskedLM: false) == 109_482_240)
        // t5-small, 60,506,624 (the "60 million" of its model card; Raffel et al. 2020 section 3.7).
        #expect(Self.t5ByHand(vocab: 32128, dModel: 512, ffn: 2048, dKV: 64, heads: 8, layers: 6, decoderLayers: 6,
                              gated: false, tied: true) == 60_506_624)
        // google/mt5-small: 300,176,768, as published by the lm-vocab-trimmer project
        // (asahi417/lm-vocab-trimmer, `param_size_full`).
        #expect(Self.t5ByHand(vocab: 250_112, dModel: 512, ffn: 1024, dKV: 64, heads: 6, layers: 8, decoderLayers: 8,
                              gated: true, tied: false) == 300_176_768)
    }

    // MARK: - Real config.json files

    /// (fixture, total). Sources: bert-large-uncased BertModel 335,141,888, roberta-large
    /// RobertaModel 355,359,744 (the 355M of Liu et al. 2019 and Hu et al. 2021, LoRA, Table 2),
    /// t5-base 222,903,552, t5-large 737,668,096, t5-3b 2,851,598,336: `num_parameters()` of the
    /// Hugging Face checkpoints; the masked-LM totals, T0_3B and mt5-xxl (13B in Xue et al. 2021)
    /// by the hand calculations above, written out per fixture below.
    static let fixtures: [(String, Int)] = [
        ("bert-base-uncased.json", 109_514_298),
        ("bert-large-uncased.json", 335_174_458),
        ("roberta-large.json", 355_412_057),
        ("t5-small.json", 60_506_624),
        ("t5-base.json", 222_903_552),
        ("t5-large.json", 737_668_096),
        ("t5-3b.json", 2_851_598_336),
        ("T0_3B.json", 2_849_757_184),
        ("mt5-xxl.json", 12_921_057_280),
        ("mt0-xxl.json", 12_921_057_280),
    ]

    @Test(arguments: fixtures)
    func configMatchesHuggingFaceCount(file: String, total: Int) throws {
        let model = try ModelCatalog.load(try Fixtures.path("huggingface/\(file)"))
        #expect(model.parameterCount.total == total)
        #expect(model.parameterCount.active == total)
    }

    /// The masked-LM and bare-encoder totals, and the T5 totals, written out.
    @Test func fixtureTotalsAreTheHandCalculations() {
        // BertForMaskedLM (the checkpoints' `architectures`): no pooler, the MLM head.
        #expect(Self.bertByHand(vocab: 30522, hidden: 768, layers: 12, ffn: 3072, positions: 512, tokenTypes: 2,
                                pooler: false, maskedLM: true) == 109_514_298)
        #expect(Self.bertByHand(vocab: 30522, hidden: 1024, layers: 24, ffn: 4096, positions: 512, tokenTypes: 2,
                                pooler: false, maskedLM: true) == 335_174_458)
        #expect(Self.bertByHand(vocab: 30522, hidden: 1024, layers: 24, ffn: 4096, positions: 512, tokenTypes: 2,
                                pooler: true, maskedLM: false) == 335_141_888)
        // RoBERTa: 514 position rows (512 + padding offset 2), one token type.
        #expect(Self.bertByHand(vocab: 50265, hidden: 1024, layers: 24, ffn: 4096, positions: 514, tokenTypes: 1,
                                pooler: false, maskedLM: true) == 355_412_057)
        #expect(Self.bertByHand(vocab: 50265, hidden: 1024, layers: 24, ffn: 4096, positions: 514, tokenTypes: 1,
                                pooler: true, maskedLM: false) == 355_359_744)
        #expect(Self.t5ByHand(vocab: 32128, dModel: 768, ffn: 3072, dKV: 64, heads: 12, layers: 12, decoderLayers: 12,
                              gated: false, tied: true) == 222_903_552)
        #expect(Self.t5ByHand(vocab: 32128, dModel: 1024, ffn: 4096, dKV: 64, heads: 16, layers: 24, decoderLayers: 24,
                              gated: false, tied: true) == 737_668_096)
        #expect(Self.t5ByHand(vocab: 32128, dModel: 1024, ffn: 16384, dKV: 128, heads: 32, layers: 24,
                              decoderLayers: 24, gated: false, tied: true) == 2_851_598_336)
        // T0_3B: T5 v1.1 XL (LM-adapted): gated GELU, untied lm_head.
        #expect(Self.t5ByHand(vocab: 32128, dModel: 2048, ffn: 5120, dKV: 64, heads: 32, layers: 24, decoderLayers: 24,
                              gated: true, tied: false) == 2_849_757_184)
        #expect(Self.t5ByHand(vocab: 250_112, dModel: 4096, ffn: 10240, dKV: 64, heads: 64, layers: 24,
                              decoderLayers: 24, gated: true, tied: false) == 12_921_057_280)
    }

    /// `architectures: ["BertModel"]` reads the bare encoder with its pooler: 109,482,240 for
    /// bert-base-uncased, what `AutoModel.from_pretrained(...).num_parameters()` prints.
    @Test(arguments: [
        ("bert-base-uncased.json", "BertModel", 109_482_240), ("bert-large-uncased.json", "BertModel", 335_141_888),
        ("roberta-large.json", "RobertaModel", 355_359_744),
    ])
    func bareEncoderWithPooler(file: String, architecture: String, total: Int) throws {
        let text = try String(contentsOfFile: try Fixtures.path("huggingface/\(file)"), encoding: .utf8)
        let masked = architecture.replacingOccurrences(of: "Model", with: "ForMaskedLM")
        let path = try Fixtures.temporary("config.json", text.replacingOccurrences(of: masked, with: architecture))
        let model = try ModelCatalog.load(path)
        #expect(model.outputHead == .none && model.details.pooler)
        #expect(model.parameterCount.total == total)
    }

    /// `T5EncoderModel` is the encoder alone with the shared embedding: t5-small 35,330,816 and
    /// t5-base 109,628,544, the "encoder parameters" of the T5 sizes table of Wikipedia's
    /// "T5 (language model)" article.
    @Test(arguments: [("t5-small.json", 35_330_816), ("t5-base.json", 109_628_544)])
    func encoderAloneMatchesPublishedCount(file: String, total: Int) throws {
        let text = try String(contentsOfFile: try Fixtures.path("huggingface/\(file)"), encoding: .utf8)
        let path = try Fixtures.temporary("config.json",
                                          text.replacingOccurrences(of: "T5WithLMHeadModel", with: "T5EncoderModel"))
        let model = try ModelCatalog.load(path)
        #expect(model.decoder == nil && model.outputHead == .none && model.attention == .bidirectional)
        #expect(model.parameterCount.total == total)
    }

    @Test func mt5SmallMatchesItsPublishedCount() throws {
        let path = try Fixtures.temporary("config.json", """
            {"model_type": "mt5", "d_model": 512, "d_ff": 1024, "d_kv": 64, "num_heads": 6, "num_layers": 8,
             "num_decoder_layers": 8, "feed_forward_proj": "gated-gelu", "tie_word_embeddings": false,
             "vocab_size": 250112}
            """)
        #expect(try ModelCatalog.load(path).parameterCount.total == 300_176_768)
    }

    /// A config and the preset of the same checkpoint describe the same model.
    @Test(arguments: [
        ("bert-base-uncased.json", "bert-base"), ("bert-large-uncased.json", "bert-large"),
        ("roberta-large.json", "roberta-large"), ("t5-small.json", "t5-small"), ("t5-base.json", "t5-base"),
        ("t5-large.json", "t5-large"), ("t5-3b.json", "t5-3b"), ("T0_3B.json", "t0-3b"), ("mt5-xxl.json", "mt5-xxl"),
        ("mt0-xxl.json", "mt0-xxl"),
    ])
    func configEqualsPreset(file: String, preset: String) throws {
        var loaded = try ModelCatalog.load(try Fixtures.path("huggingface/\(file)"))
        let expected = try ModelCatalog.preset(named: preset)
        loaded.name = expected.name
        #expect(loaded == expected)
    }

    /// The new fields round-trip through Loom's own model file.
    @Test func loomModelFilesDescribeEncoders() throws {
        let t5 = try Fixtures.temporary("t5-small.yaml", """
            layers: 6
            hidden: 512
            heads: 8
            head_dim: 64
            ffn: 2048
            mlp: relu
            vocab: 32128
            max_seq: 512
            tied_embeddings: true
            norm: rmsnorm
            position: relative_bias
            attention: bidirectional
            decoder_layers: 6
            details:
              relative_attention_buckets: 32

            """)
        #expect(try ModelCatalog.load(t5) == ModelCatalog.preset(named: "t5-small"))
        let bert = try Fixtures.temporary("bert-base.yaml", """
            layers: 12
            hidden: 768
            heads: 12
            ffn: 3072
            mlp: gelu
            vocab: 30522
            max_seq: 512
            tied_embeddings: true
            qkv_bias: true
            linear_bias: true
            norm: layernorm
            position: learned
            attention: bidirectional
            output_head: none
            details:
              embedding_norm: true
              final_norm: false
              token_types: 2
              pooler: true

            """)
        #expect(try ModelCatalog.load(bert).parameterCount.total == 109_482_240)
        let typo = try Fixtures.temporary("bad.yaml", "layers: 2\nhidden: 64\nheads: 4\nffn: 256\nmlp: gelu\n"
            + "vocab: 100\nmax_seq: 128\nattention: sideways\n")
        #expect(Fixtures.error { _ = try ModelCatalog.load(typo) }
            == "\(typo): key 'attention' must be one of causal, bidirectional, got \"sideways\"")
    }

    @Test func shapesAreRead() throws {
        let t5 = try ModelCatalog.load(try Fixtures.path("huggingface/t5-3b.json"))
        #expect(t5.attention == .bidirectional && t5.decoder == DecoderStack(layers: 24))
        #expect(t5.headDim == 128 && t5.hidden == 1024 && t5.heads == 32)    // d_kv independent of d_model / heads
        #expect(t5.position == .relativeBias && t5.norm == .rmsnorm && !t5.linearBias && !t5.qkvBias)
        let c = t5.parameterCount
        #expect(c.positionEmbedding == 2 * 32 * 32)                         // one bucket table per stack
        #expect(c.crossAttentionPerLayer == 4 * 1024 * 4096 && c.decoderLayers == 24)
        #expect(c.finalNorm == 2 * 1024)
        let roberta = try ModelCatalog.load(try Fixtures.path("huggingface/roberta-large.json"))
        #expect(roberta.maxSeq == 512 && roberta.details.positionOffset == 2 && roberta.details.tokenTypes == 1)
        #expect(roberta.outputHead == .maskedLM && roberta.attention == .bidirectional && roberta.decoder == nil)
        #expect(roberta.parameterCount.positionEmbedding == 514 * 1024)
        let mt5 = try ModelCatalog.load(try Fixtures.path("huggingface/mt5-xxl.json"))
        #expect(mt5.mlp == .geglu && !mt5.tiedEmbeddings && mt5.maxSeq == 512)
    }

    // MARK: - FLOPs

    /// BERT-base at 512 tokens: one bidirectional stack, so `--causal` changes nothing; forward per
    /// token = 2 x (12 x (4 h^2 + 2 h f)) + 12 x 4 x 512 x h (scores and x V) + 2 x (V h + h^2)
    /// for the masked-LM head's transform and logits at every position.
    @Test func encoderOnlyFLOPs() throws {
        let bert = try ModelCatalog.preset(named: "bert-base")
        let (h, f, V, S, L) = (768.0, 3072.0, 30522.0, 512.0, 12.0)
        let forward = 2 * L * (4 * h * h + 2 * h * f) + L * 4 * S * h + 2 * (V * h + h * h)
        let flops = bert.flops(seq: 512)
        #expect(flops.forward == forward)
        #expect(flops.training == 3 * forward)
        #expect(bert.flops(seq: 512, causal: true).forward == forward)
        var bare = bert
        bare.outputHead = .none
        #expect(bare.flops(seq: 512).output == 0)
    }

    /// t5-small with a 512-token input and a 128-token target, per (input + target) token:
    /// encoder layers and the decoder's cross-attention K, V over the 512 input tokens; decoder
    /// self-attention, cross-attention Q and O, MLP and the logits over the 128 target tokens.
    @Test func encoderDecoderFLOPsPerInputPlusTargetToken() throws {
        let t5 = try ModelCatalog.preset(named: "t5-small")
        let (d, f, inner, V, L) = (512.0, 2048.0, 512.0, 32128.0, 6.0)
        let (S, T) = (512.0, 128.0)
        let perInputToken = 2 * L * (4 * d * inner + 2 * d * f)     // encoder matmuls
            + 2 * L * (2 * d * inner)                                // cross-attention K and V
            + L * 4 * S * inner                                      // encoder attention, bidirectional
        let perTargetToken = 2 * L * (4 * d * inner + 2 * d * inner + 2 * d * f)   // self Q K V O, cross Q O, MLP
            + L * (4 * T * inner + 4 * S * inner)                    // self-attention over T, cross over S
            + 2 * V * d                                              // logits
        let forward = (S * perInputToken + T * perTargetToken) / (S + T)
        let flops = t5.flops(seq: 512, targetSeq: 128)
        #expect(abs(flops.forward - forward) <= 1e-9 * forward)
        #expect(flops.targetSeq == 128 && flops.seq == 512)
        #expect(flops.training == 3 * flops.forward)
        // Causal halving applies to the decoder's self-attention only.
        let halved = t5.flops(seq: 512, targetSeq: 128, causal: true)
        let saved = T * L * 2 * T * inner / (S + T)
        #expect(abs((flops.attention - halved.attention) - saved) <= 1e-9 * saved)
        // The target length defaults to the input length.
        #expect(t5.flops(seq: 256) == t5.flops(seq: 256, targetSeq: 256))
    }

    /// With equal lengths an encoder-decoder of L + L layers costs about what one L-layer stack
    /// costs per token (Raffel et al. 2020, section 3.2.2): half of 6 N, not 6 N, for the layers.
    @Test func encoderDecoderIsAboutHalfOfSixN() throws {
        let t5 = try ModelCatalog.preset(named: "t5-3b")
        let c = t5.parameterCount
        let layerParameters = Double(c.attention + c.denseMLP)
        let flops = t5.flops(seq: 512)
        #expect(abs(flops.training - flops.attention * 3 - flops.output * 3 - 6 * layerParameters / 2)
            <= 1e-9 * layerParameters)
    }

    // MARK: - Bad input

    /// Counting, FLOPs and validation of extreme encoder-decoder values must not trap.
    @Test func extremeValuesNeverTrap() {
        let extremes = [Int.min, -1, 0, 1, 7, Int.max]
        for a in extremes {
            for b in extremes {
                let model = TransformerModel(
                    name: "x", layers: a, hidden: b, heads: a, kvHeads: b, headDim: a, ffn: b, mlp: .geglu, vocab: a,
                    maxSeq: b, position: .relativeBias, attention: .bidirectional, decoder: DecoderStack(layers: b),
                    outputHead: .maskedLM,
                    details: .init(normsPerBlock: a, tokenTypes: b, pooler: true, relativeAttentionBuckets: a))
                _ = model.parameterCount.total
                _ = model.parameterCount.activeNonEmbedding
                _ = model.flops(seq: b, targetSeq: a, causal: true).training
                _ = Fixtures.error { try model.validate() }
            }
        }
    }

    static func t5Config(_ changes: [String: String] = [:], removing: [String] = []) throws -> String {
        let base = [
            "model_type": "\"t5\"", "d_model": "64", "d_ff": "128", "d_kv": "16", "num_heads": "4",
            "num_layers": "2", "vocab_size": "100",
        ]
        return try Fixtures.model(base, changes, removing: removing, yaml: false)
    }

    @Test func missingEncoderLayersNamesTheKey() throws {
        let path = try Self.t5Config(removing: ["num_layers"])
        #expect(Fixtures.error { _ = try ModelCatalog.load(path) }
            == "\(path): missing required key 'num_layers' for model_type t5")
    }

    @Test func negativeHeadWidthNamesTheValue() throws {
        let path = try Self.t5Config(["d_kv": "-64"])
        #expect(Fixtures.error { _ = try ModelCatalog.load(path) }
            == "\(path): key 'd_kv' must be a non-negative integer (a size or a count), got -64")
    }

    @Test func unknownFeedForwardNamesTheValue() throws {
        let path = try Self.t5Config(["feed_forward_proj": "\"gated-swiglu\""])
        let message = try #require(Fixtures.error { _ = try ModelCatalog.load(path) })
        #expect(message.hasPrefix("\(path): key 'feed_forward_proj' must be one of "))
        #expect(message.hasSuffix(", got \"gated-swiglu\""))
        #expect(!message.contains("\n"))
    }

    @Test func zeroDecoderLayersIsAnError() throws {
        let path = try Self.t5Config(["num_decoder_layers": "0"])
        #expect(Fixtures.error { _ = try ModelCatalog.load(path) }
            == "\(path): decoder.layers must be a positive integer, got 0")
    }

    @Test func relativeKeyPositionsAreRefused() throws {
        let base = [
            "model_type": "\"bert\"", "hidden_size": "64", "num_attention_heads": "4", "num_hidden_layers": "2",
            "intermediate_size": "256", "vocab_size": "100",
        ]
        let path = try Fixtures.model(base, ["position_embedding_type": "\"relative_key\""], removing: [], yaml: false)
        #expect(Fixtures.error { _ = try ModelCatalog.load(path) }
            == "\(path): key 'position_embedding_type' must be absolute, got \"relative_key\" "
                + "(relative_key variants are not supported)")
    }
}

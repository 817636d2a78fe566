/// Qwen, DeepSeek, Gemma and PaLM.
extension ModelCatalog {
    static let otherPresets: [ModelPreset] = [
        // Qwen Team 2024, Qwen2.5 Technical Report; HF Qwen/Qwen2.5-7B (7,615,616,512).
        qwen25("qwen2.5-7b", layers: 28, hidden: 3584, heads: 28, kvHeads: 4, ffn: 18944, repository: "Qwen2.5-7B"),
        // HF Qwen/Qwen2.5-0.5B (494,032,768), 1.5B (1,543,714,304), 3B (3,085,938,688): vocabulary
        // 151,936 and tied embeddings at these sizes.
        qwen25("qwen2.5-0.5b", layers: 24, hidden: 896, heads: 14, kvHeads: 2, ffn: 4864, repository: "Qwen2.5-0.5B",
               vocab: 151936, tied: true),
        qwen25("qwen2.5-1.5b", layers: 28, hidden: 1536, heads: 12, kvHeads: 2, ffn: 8960, repository: "Qwen2.5-1.5B",
               vocab: 151936, tied: true),
        qwen25("qwen2.5-3b", layers: 36, hidden: 2048, heads: 16, kvHeads: 2, ffn: 11008, repository: "Qwen2.5-3B",
               vocab: 151936, tied: true),
        // HF Qwen/Qwen2.5-14B (14,770,033,664) and Qwen/Qwen2.5-32B (32,763,876,352).
        qwen25("qwen2.5-14b", layers: 48, hidden: 5120, heads: 40, kvHeads: 8, ffn: 13824, repository: "Qwen2.5-14B"),
        qwen25("qwen2.5-32b", layers: 64, hidden: 5120, heads: 40, kvHeads: 8, ffn: 27648, repository: "Qwen2.5-32B"),
        // HF Qwen/Qwen2.5-72B (72,706,203,648).
        qwen25("qwen2.5-72b", layers: 80, hidden: 8192, heads: 64, kvHeads: 8, ffn: 29568, repository: "Qwen2.5-72B"),
        // HF Qwen/Qwen1.5-MoE-A2.7B (14,315,784,192): 60 experts top-4 plus a gated shared expert.
        ModelPreset(family: "qwen2-moe", aliases: ["qwen-moe-a2.7b"],
                    source: "Qwen Team 2024, Qwen1.5-MoE; huggingface.co/Qwen/Qwen1.5-MoE-A2.7B",
                    model: TransformerModel(
                        name: "qwen1.5-moe-a2.7b", layers: 24, hidden: 2048, heads: 16, ffn: 5632, mlp: .swiglu,
                        vocab: 151936, maxSeq: 8192, qkvBias: true,
                        moe: MoEConfig(experts: 60, expertsPerToken: 4, expertFFN: 1408, sharedExperts: 1,
                                       sharedExpertFFN: 5632, sharedExpertGate: true))),
        // DeepSeek-AI 2024, DeepSeek-V3 Technical Report; HF deepseek-ai/DeepSeek-V3 config.json.
        // 671B total / 37B activated for the main model; the 14B multi-token-prediction module is
        // not counted. headDim is the MLA query/key head width (128 nope + 64 rope).
        ModelPreset(family: "deepseek-v3", aliases: ["deepseek-v3-671b", "deepseek-r1"],
                    source: "DeepSeek-AI 2024, DeepSeek-V3 Technical Report; huggingface.co/deepseek-ai/DeepSeek-V3",
                    model: deepseekV3Layout("deepseek-v3", heads: 128, experts: 256, denseLayers: 3, vocab: 129280,
                                            maxSeq: 163840)),
        // Gemma Team 2024; HF google/gemma-7b (8,537,680,896): head_dim 256, GeGLU, tied.
        ModelPreset(family: "gemma", aliases: [],
                    source: "Gemma Team 2024, Gemma; huggingface.co/google/gemma-7b",
                    model: TransformerModel(
                        name: "gemma-7b", layers: 28, hidden: 3072, heads: 16, headDim: 256, ffn: 24576,
                        mlp: .geglu, vocab: 256000, maxSeq: 8192, tiedEmbeddings: true)),
        // HF google/gemma-2b (2,506,172,416): multi-query attention (one KV head) of 8 heads of 256.
        ModelPreset(family: "gemma", aliases: [],
                    source: "Gemma Team 2024, Gemma; huggingface.co/google/gemma-2b",
                    model: TransformerModel(
                        name: "gemma-2b", layers: 18, hidden: 2048, heads: 8, kvHeads: 1, headDim: 256, ffn: 16384,
                        mlp: .geglu, vocab: 256000, maxSeq: 8192, tiedEmbeddings: true)),
        // Gemma Team 2024, Gemma 2 (arXiv 2408.00118), Table 1; HF google/gemma-2-2b (2,614,341,888),
        // gemma-2-9b (9,241,705,984), gemma-2-27b (27,227,128,320): GeGLU, tied 256k vocabulary,
        // four RMSNorms per block (pre- and post-norm around attention and MLP), local sliding
        // window of 4,096 on every other layer (its logit soft-capping moves no FLOPs Loom counts).
        gemma2("gemma-2-2b", layers: 26, hidden: 2304, heads: 8, kvHeads: 4, headDim: 256, ffn: 9216),
        gemma2("gemma-2-9b", layers: 42, hidden: 3584, heads: 16, kvHeads: 8, headDim: 256, ffn: 14336),
        gemma2("gemma-2-27b", layers: 46, hidden: 4608, heads: 32, kvHeads: 16, headDim: 128, ffn: 36864),
        // Chowdhery et al. 2022, PaLM, Table 1 and section 2: multi-query attention, head size 256,
        // SwiGLU, parallel block, no biases in matmuls or LayerNorms, shared input/output embedding;
        // ffn 4 x d_model; 256k vocabulary (256,000: 540.35B parameters as the paper counts).
        palm("palm-8b", layers: 32, hidden: 4096, heads: 16),
        palm("palm-62b", layers: 64, hidden: 8192, heads: 32),
        ModelPreset(family: "palm", aliases: ["palm"],
                    source: "Chowdhery et al. 2022, PaLM: Scaling Language Modeling with Pathways, Table 1",
                    model: TransformerModel(
                        name: "palm-540b", layers: 118, hidden: 18432, heads: 48, kvHeads: 1, headDim: 256,
                        ffn: 73728, mlp: .swiglu, vocab: 256000, maxSeq: 2048, tiedEmbeddings: true,
                        norm: .layernormNoBias, position: .rotary, parallelBlock: true,
                        details: .init(normsPerBlock: 1))),
    ]

    /// A Gemma 2 model (Gemma Team 2024, Gemma 2, Table 1; HF `Gemma2ForCausalLM`).
    static func gemma2(_ name: String, layers: Int, hidden: Int, heads: Int, kvHeads: Int, headDim: Int,
                       ffn: Int) -> ModelPreset {
        ModelPreset(family: "gemma2", aliases: [],
                    source: "Gemma Team 2024, Gemma 2: Improving Open Language Models at a Practical Size, Table 1; huggingface.co/google/\(name)",
                    model: TransformerModel(
                        name: name, layers: layers, hidden: hidden, heads: heads, kvHeads: kvHeads, headDim: headDim,
                        ffn: ffn, mlp: .geglu, vocab: 256000, maxSeq: 8192, tiedEmbeddings: true,
                        details: .init(normsPerBlock: 4), attentionWindow: AttentionWindow(size: 4096, layers: layers / 2)))
    }

    /// A PaLM model of Table 1 (Chowdhery et al. 2022): the 540B's block at another size.
    static func palm(_ name: String, layers: Int, hidden: Int, heads: Int) -> ModelPreset {
        ModelPreset(family: "palm", aliases: [],
                    source: "Chowdhery et al. 2022, PaLM: Scaling Language Modeling with Pathways, Table 1",
                    model: TransformerModel(
                        name: name, layers: layers, hidden: hidden, heads: heads, kvHeads: 1, headDim: 256,
                        ffn: 4 * hidden, mlp: .swiglu, vocab: 256000, maxSeq: 2048, tiedEmbeddings: true,
                        norm: .layernormNoBias, position: .rotary, parallelBlock: true,
                        details: .init(normsPerBlock: 1)))
    }

    /// The DeepSeek-V3 layout (HF `DeepseekV3ForCausalLM`) at another head count, expert count,
    /// dense-layer count and vocabulary (Kimi K2): 61 layers of width 7168; MLA with q_lora_rank
    /// 1536, kv_lora_rank 512, query/key heads of 128 + 64 (rope), values of 128 (headDim is the
    /// query/key width 192); SwiGLU experts of 2048, top 8, one shared, router with bias; dense
    /// layers of 18,432; untied.
    static func deepseekV3Layout(_ name: String, heads: Int, experts: Int, denseLayers: Int, vocab: Int,
                                 maxSeq: Int) -> TransformerModel {
        TransformerModel(
            name: name, layers: 61, hidden: 7168, heads: heads, kvHeads: heads, headDim: 192, ffn: 18432,
            mlp: .swiglu, vocab: vocab, maxSeq: maxSeq,
            moe: MoEConfig(experts: experts, expertsPerToken: 8, expertFFN: 2048, sharedExperts: 1,
                           sharedExpertFFN: 2048, denseLayers: denseLayers, routerBias: true),
            mla: MLAConfig(qLoraRank: 1536, kvLoraRank: 512, qkNopeHeadDim: 128, qkRopeHeadDim: 64, vHeadDim: 128))
    }

    /// The Qwen2.5 layout (HF `Qwen2ForCausalLM`): SwiGLU, RMSNorm, rotary, biases on Q, K and V
    /// only, 128K context; vocabulary 152,064 untied from 7B up, 151,936 tied below.
    static func qwen25(_ name: String, layers: Int, hidden: Int, heads: Int, kvHeads: Int, ffn: Int,
                       repository: String, vocab: Int = 152064, tied: Bool = false) -> ModelPreset {
        ModelPreset(
            family: "qwen2", aliases: ["\(name)-instruct"],
            source: "Qwen Team 2024, Qwen2.5 Technical Report; huggingface.co/Qwen/\(repository)",
            model: TransformerModel(
                name: name, layers: layers, hidden: hidden, heads: heads, kvHeads: kvHeads, ffn: ffn,
                mlp: .swiglu, vocab: vocab, maxSeq: 131072, tiedEmbeddings: tied, qkvBias: true))
    }
}

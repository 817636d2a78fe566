/// Open-weight MoE models of 2025 with many small experts: OpenAI's gpt-oss and Moonshot AI's
/// Kimi K2.
extension ModelCatalog {
    static let openWeightMoEPresets: [ModelPreset] = [
        // gpt-oss-120b: 116.83B total, 5.13B active per token without the embedding table.
        gptOss("gpt-oss-120b", layers: 36, experts: 128),
        // gpt-oss-20b: 20.91B total, 3.61B active.
        gptOss("gpt-oss-20b", layers: 24, experts: 32),
        // Kimi Team 2025, Kimi K2: Open Agentic Intelligence; HF moonshotai/Kimi-K2-Instruct
        // config.json (model_type kimi_k2, DeepseekV3ForCausalLM): DeepSeek-V3's MLA and MoE with
        // 64 heads, 384 experts of 2048 (top 8) plus one shared, one dense layer, vocabulary 163,840.
        // 1T total / 32B activated (model card); no multi-token-prediction layer in the release.
        ModelPreset(family: "deepseek-v3", aliases: ["kimi-k2-instruct", "kimi-k2-base"],
                    source: "Kimi Team 2025, Kimi K2: Open Agentic Intelligence; huggingface.co/moonshotai/Kimi-K2-Instruct",
                    model: deepseekV3Layout("kimi-k2", heads: 64, experts: 384, denseLayers: 1, vocab: 163840,
                                            maxSeq: 131072)),
    ]

    /// The gpt-oss layout (OpenAI 2025, gpt-oss-120b & gpt-oss-20b model card, section 2.1 and
    /// Table 1; HF `GptOssForCausalLM`): width 2880, 64 query / 8 KV heads of 64, biases on every
    /// attention projection and expert matrix, a router with bias, a sink logit per head, experts of
    /// width 2880 top-4 on every layer, banded attention of 128 tokens on every other layer,
    /// vocabulary 201,088 (o200k_harmony), 131,072 positions (YaRN, `rope_scaling.factor` 32 over
    /// 4,096 original positions, config.json), untied.
    static func gptOss(_ name: String, layers: Int, experts: Int) -> ModelPreset {
        ModelPreset(
            family: "gpt-oss", aliases: [],
            source: "OpenAI 2025, gpt-oss-120b & gpt-oss-20b Model Card; huggingface.co/openai/\(name)",
            model: TransformerModel(
                name: name, layers: layers, hidden: 2880, heads: 64, kvHeads: 8, headDim: 64, ffn: 2880, mlp: .swiglu,
                vocab: 201088, maxSeq: 131072, qkvBias: true, linearBias: true,
                moe: MoEConfig(experts: experts, expertsPerToken: 4, expertFFN: 2880, routerBias: true),
                details: .init(attentionSinks: true, yarnFactor: 32, clampedGLU: true), attentionWindow: AttentionWindow(size: 128, layers: layers / 2)))
    }
}

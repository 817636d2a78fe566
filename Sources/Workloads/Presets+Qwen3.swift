/// Qwen3: dense and mixture-of-experts (Qwen Team 2025, Qwen3 Technical Report, Tables 1 and 2).
extension ModelCatalog {
    static let qwen3Presets: [ModelPreset] = [
        // HF Qwen/Qwen3-8B (8.2B): 36 layers, 32 query / 8 KV heads of 128.
        qwen3("qwen3-8b", layers: 36, hidden: 4096, heads: 32, kvHeads: 8, ffn: 12288, repository: "Qwen3-8B"),
        // HF Qwen/Qwen3-14B (14,768,307,200): 40 layers, 40 query / 8 KV heads of 128, untied.
        qwen3("qwen3-14b", layers: 40, hidden: 5120, heads: 40, kvHeads: 8, ffn: 17408, repository: "Qwen3-14B"),
        // HF Qwen/Qwen3-0.6B (596,049,920) and Qwen/Qwen3-4B (4,022,468,096): tied embeddings at
        // these sizes (tie_word_embeddings true).
        qwen3("qwen3-0.6b", layers: 28, hidden: 1024, heads: 16, kvHeads: 8, ffn: 3072, repository: "Qwen3-0.6B",
              tied: true),
        qwen3("qwen3-4b", layers: 36, hidden: 2560, heads: 32, kvHeads: 8, ffn: 9728, repository: "Qwen3-4B", tied: true),
        // HF Qwen/Qwen3-32B (32.8B): 64 layers, 64 query / 8 KV heads of 128 (64 x 128 = 8192 > 5120).
        qwen3("qwen3-32b", layers: 64, hidden: 5120, heads: 64, kvHeads: 8, ffn: 25600, repository: "Qwen3-32B"),
        // HF Qwen/Qwen3-30B-A3B (30.5B total, 3.3B activated): 128 experts of 768, top 8, no shared expert.
        qwen3("qwen3-30b-a3b", layers: 48, hidden: 2048, heads: 32, kvHeads: 4, ffn: 6144, repository: "Qwen3-30B-A3B",
              moe: MoEConfig(experts: 128, expertsPerToken: 8, expertFFN: 768)),
        // HF Qwen/Qwen3-235B-A22B (235B total, 22B activated): 128 experts of 1536, top 8.
        qwen3("qwen3-235b-a22b", layers: 94, hidden: 4096, heads: 64, kvHeads: 4, ffn: 12288,
              repository: "Qwen3-235B-A22B", moe: MoEConfig(experts: 128, expertsPerToken: 8, expertFFN: 1536)),
    ]

    /// The Qwen3 layout (HF `Qwen3ForCausalLM` / `Qwen3MoeForCausalLM`): head_dim 128 whatever
    /// hidden / heads is, per-head RMSNorm on Q and K, no biases, SwiGLU, RMSNorm, rotary,
    /// vocabulary 151,936, 40,960 positions, untied from the 8B up (tied below).
    static func qwen3(_ name: String, layers: Int, hidden: Int, heads: Int, kvHeads: Int, ffn: Int,
                      repository: String, moe: MoEConfig? = nil, tied: Bool = false) -> ModelPreset {
        ModelPreset(
            family: moe == nil ? "qwen3" : "qwen3-moe", aliases: [],
            source: "Qwen Team 2025, Qwen3 Technical Report; huggingface.co/Qwen/\(repository)",
            model: TransformerModel(
                name: name, layers: layers, hidden: hidden, heads: heads, kvHeads: kvHeads, headDim: 128, ffn: ffn,
                mlp: .swiglu, vocab: 151936, maxSeq: 40960, tiedEmbeddings: tied, moe: moe, details: .init(qkNorm: true)))
    }
}

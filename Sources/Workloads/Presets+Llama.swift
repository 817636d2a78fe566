/// Llama 2, Llama 3.1 and 3.2, TinyLlama, Mistral and Mixtral: pre-norm RMSNorm, SwiGLU, rotary, no
/// biases, untied (Llama 3.2 tied).
extension ModelCatalog {
    static let llamaPresets: [ModelPreset] = [
        // Touvron et al. 2023, Llama 2, Table 1; HF meta-llama/Llama-2-7b-hf (6,738,415,616).
        llama("llama-2-7b", family: "llama-2", layers: 32, hidden: 4096, heads: 32, kvHeads: 32, ffn: 11008,
              vocab: 32000, maxSeq: 4096, source: "Touvron et al. 2023, Llama 2; huggingface.co/meta-llama/Llama-2-7b-hf"),
        // HF meta-llama/Llama-2-13b-hf (13,015,864,320).
        llama("llama-2-13b", family: "llama-2", layers: 40, hidden: 5120, heads: 40, kvHeads: 40, ffn: 13824,
              vocab: 32000, maxSeq: 4096, source: "Touvron et al. 2023, Llama 2; huggingface.co/meta-llama/Llama-2-13b-hf"),
        // HF meta-llama/Llama-2-70b-hf (68,976,648,192), grouped-query attention with 8 KV heads.
        llama("llama-2-70b", family: "llama-2", layers: 80, hidden: 8192, heads: 64, kvHeads: 8, ffn: 28672,
              vocab: 32000, maxSeq: 4096, source: "Touvron et al. 2023, Llama 2; huggingface.co/meta-llama/Llama-2-70b-hf"),
        // Llama Team 2024, The Llama 3 Herd of Models, Table 3; HF meta-llama/Llama-3.1-8B (8,030,261,248).
        llama("llama-3.1-8b", family: "llama-3", layers: 32, hidden: 4096, heads: 32, kvHeads: 8, ffn: 14336,
              vocab: 128256, maxSeq: 131072,
              source: "Llama Team 2024, The Llama 3 Herd of Models, Table 3; huggingface.co/meta-llama/Llama-3.1-8B"),
        // HF meta-llama/Llama-3.1-70B (70,553,706,496).
        llama("llama-3.1-70b", family: "llama-3", layers: 80, hidden: 8192, heads: 64, kvHeads: 8, ffn: 28672,
              vocab: 128256, maxSeq: 131072,
              source: "Llama Team 2024, The Llama 3 Herd of Models, Table 3; huggingface.co/meta-llama/Llama-3.1-70B"),
        // HF meta-llama/Llama-3.1-405B (405,853,388,800).
        llama("llama-3.1-405b", family: "llama-3", layers: 126, hidden: 16384, heads: 128, kvHeads: 8, ffn: 53248,
              vocab: 128256, maxSeq: 131072,
              source: "Llama Team 2024, The Llama 3 Herd of Models, Table 3; huggingface.co/meta-llama/Llama-3.1-405B"),
        // Meta 2024, Llama 3.2 model card; HF meta-llama/Llama-3.2-1B (1,235,814,400): tied
        // embeddings, head_dim 64.
        llama("llama-3.2-1b", family: "llama-3", layers: 16, hidden: 2048, heads: 32, kvHeads: 8, ffn: 8192,
              vocab: 128256, maxSeq: 131072, tied: true,
              source: "Meta 2024, Llama 3.2 model card; huggingface.co/meta-llama/Llama-3.2-1B"),
        // HF meta-llama/Llama-3.2-3B (3,212,749,824): tied embeddings.
        llama("llama-3.2-3b", family: "llama-3", layers: 28, hidden: 3072, heads: 24, kvHeads: 8, ffn: 8192,
              vocab: 128256, maxSeq: 131072, tied: true,
              source: "Meta 2024, Llama 3.2 model card; huggingface.co/meta-llama/Llama-3.2-3B"),
        // Zhang et al. 2024, TinyLlama; HF TinyLlama/TinyLlama-1.1B-intermediate-step-1431k-3T
        // (1,100,048,384): the Llama 2 layout at 22 layers of 2,048 with 4 KV heads.
        llama("tinyllama-1.1b", family: "llama-2", layers: 22, hidden: 2048, heads: 32, kvHeads: 4, ffn: 5632,
              vocab: 32000, maxSeq: 2048,
              source: "Zhang et al. 2024, TinyLlama; huggingface.co/TinyLlama/TinyLlama-1.1B-intermediate-step-1431k-3T"),
        // Jiang et al. 2023, Mistral 7B; HF mistralai/Mistral-7B-v0.1 (7,241,732,096).
        llama("mistral-7b", family: "mistral", layers: 32, hidden: 4096, heads: 32, kvHeads: 8, ffn: 14336,
              vocab: 32000, maxSeq: 32768, source: "Jiang et al. 2023, Mistral 7B; huggingface.co/mistralai/Mistral-7B-v0.1"),
        // Mistral AI and NVIDIA 2024, Mistral NeMo; HF mistralai/Mistral-Nemo-Base-2407 (12,247,782,400):
        // head_dim 128 (not hidden / heads), Tekken vocabulary of 131,072.
        ModelPreset(
            family: "mistral", aliases: ["mistral-nemo"],
            source: "Mistral AI 2024, Mistral NeMo; huggingface.co/mistralai/Mistral-Nemo-Base-2407",
            model: TransformerModel(
                name: "mistral-nemo-12b", layers: 40, hidden: 5120, heads: 32, kvHeads: 8, headDim: 128, ffn: 14336,
                mlp: .swiglu, vocab: 131072, maxSeq: 131072, tiedEmbeddings: false, norm: .rmsnorm, position: .rotary)),
        // Abdin et al. 2024, Phi-3 Technical Report; HF microsoft/Phi-3-mini-4k-instruct (3,821,079,552):
        // the Llama layout with fused QKV and gate/up projections, 32 heads, no GQA.
        llama("phi-3-mini", family: "phi3", layers: 32, hidden: 3072, heads: 32, kvHeads: 32, ffn: 8192,
              vocab: 32064, maxSeq: 4096,
              source: "Abdin et al. 2024, Phi-3 Technical Report; huggingface.co/microsoft/Phi-3-mini-4k-instruct"),
        // Abdin et al. 2024, Phi-4 Technical Report; HF microsoft/phi-4 (14,659,507,200): the Phi-3
        // layout at 40 layers of 5,120, 40 query / 10 KV heads, MLP 17,920, vocabulary 100,352, untied.
        llama("phi-4", family: "phi3", layers: 40, hidden: 5120, heads: 40, kvHeads: 10, ffn: 17920,
              vocab: 100352, maxSeq: 16384,
              source: "Abdin et al. 2024, Phi-4 Technical Report; huggingface.co/microsoft/phi-4"),
        // Jiang et al. 2024, Mixtral of Experts; HF mistralai/Mixtral-8x7B-v0.1 (46,702,792,704; 12.9B active).
        llama("mixtral-8x7b", family: "mixtral", layers: 32, hidden: 4096, heads: 32, kvHeads: 8, ffn: 14336,
              vocab: 32000, maxSeq: 32768,
              moe: MoEConfig(experts: 8, expertsPerToken: 2, expertFFN: 14336),
              source: "Jiang et al. 2024, Mixtral of Experts; huggingface.co/mistralai/Mixtral-8x7B-v0.1"),
        // HF mistralai/Mixtral-8x22B-v0.1 (140,620,634,112; vocabulary 32,000 in v0.1).
        llama("mixtral-8x22b", family: "mixtral", layers: 56, hidden: 6144, heads: 48, kvHeads: 8, ffn: 16384,
              vocab: 32000, maxSeq: 65536,
              moe: MoEConfig(experts: 8, expertsPerToken: 2, expertFFN: 16384),
              source: "Mistral AI 2024, Mixtral 8x22B; huggingface.co/mistralai/Mixtral-8x22B-v0.1"),
    ]

    /// The Llama layout (HF `LlamaForCausalLM`, `MistralForCausalLM`, `MixtralForCausalLM`).
    static func llama(
        _ name: String, family: String, layers: Int, hidden: Int, heads: Int, kvHeads: Int, ffn: Int,
        vocab: Int, maxSeq: Int, tied: Bool = false, moe: MoEConfig? = nil, source: String
    ) -> ModelPreset {
        ModelPreset(
            family: family, source: source,
            model: TransformerModel(
                name: name, layers: layers, hidden: hidden, heads: heads, kvHeads: kvHeads, ffn: ffn,
                mlp: .swiglu, vocab: vocab, maxSeq: maxSeq, tiedEmbeddings: tied, norm: .rmsnorm,
                position: .rotary, moe: moe))
    }
}

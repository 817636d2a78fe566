/// NVIDIA Megatron GPT models: the weak-scaling series of Narayanan et al. 2021 (Table 1),
/// Megatron-Turing NLG 530B and Nemotron-4 340B.
extension ModelCatalog {
    static let megatronPresets: [ModelPreset] = [
        // Narayanan et al. 2021, Table 1, rows 1-10 (the published-runs validation set uses these).
        megatron("1.7b", layers: 24, hidden: 2304, heads: 24),
        megatron("3.6b", layers: 30, hidden: 3072, heads: 32),
        megatron("7.5b", layers: 36, hidden: 4096, heads: 32),
        megatron("18.4b", layers: 40, hidden: 6144, heads: 48),
        megatron("39.1b", layers: 48, hidden: 8192, heads: 64),
        megatron("76.1b", layers: 60, hidden: 10240, heads: 80),
        megatron("145.6b", layers: 80, hidden: 12288, heads: 96),
        megatron("310.1b", layers: 96, hidden: 16384, heads: 128),
        megatron("529.6b", layers: 105, hidden: 20480, heads: 128),
        megatron("1t", aliases: ["megatron-1008b", "megatron-1008.0b"], layers: 128, hidden: 25600, heads: 160),
        // Smith et al. 2022, Using DeepSpeed and Megatron to Train Megatron-Turing NLG 530B, section 3.2.
        ModelPreset(family: "megatron-gpt", aliases: ["mt-nlg", "megatron-turing-nlg-530b", "turing-530b"],
                    source: "Smith et al. 2022, Megatron-Turing NLG 530B, section 3.2",
                    model: TransformerModel(
                        name: "mt-nlg-530b", layers: 105, hidden: 20480, heads: 128, ffn: 81920, mlp: .gelu,
                        vocab: 50257, maxSeq: 2048, tiedEmbeddings: true, qkvBias: true, linearBias: true,
                        norm: .layernorm, position: .learned)),
        // NVIDIA 2024, Nemotron-4 340B Technical Report, section 2.1 (GQA 8, squared ReLU, untied,
        // no biases, rotary on half of each head); LayerNorm1P has a bias (HF NemotronLayerNorm1P).
        ModelPreset(family: "nemotron", aliases: ["nemotron-4", "nemotron-340b"],
                    source: "NVIDIA 2024, Nemotron-4 340B Technical Report, section 2.1",
                    model: TransformerModel(
                        name: "nemotron-4-340b", layers: 96, hidden: 18432, heads: 96, kvHeads: 8, ffn: 73728,
                        mlp: .squaredRelu, vocab: 256000, maxSeq: 4096, tiedEmbeddings: false,
                        norm: .layernorm, position: .rotary)),
    ]

    /// A Megatron-LM GPT model as Narayanan et al. 2021 train it: ffn 4h, GELU, biases, LayerNorm,
    /// learned positions, sequence 2048, vocabulary 51,200 (GPT-2 BPE padded), and the output layer
    /// sharing the word-embedding weights (Megatron-LM `GPTModel`; the paper's parameter formula,
    /// section 5.1, counts `V h` once, which is what reproduces Table 1's sizes).
    static func megatron(_ size: String, aliases: [String] = [], layers: Int, hidden: Int, heads: Int)
        -> ModelPreset
    {
        ModelPreset(
            family: "megatron-gpt", aliases: aliases,
            source: "Narayanan et al. 2021, Efficient Large-Scale Language Model Training on GPU Clusters, Table 1",
            model: TransformerModel(
                name: "megatron-\(size)", layers: layers, hidden: hidden, heads: heads, ffn: 4 * hidden,
                mlp: .gelu, vocab: 51200, maxSeq: 2048, tiedEmbeddings: true, qkvBias: true, linearBias: true,
                norm: .layernorm, position: .learned))
    }
}

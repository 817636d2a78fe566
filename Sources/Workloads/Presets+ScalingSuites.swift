/// The model suites the small-model and scaling literature trains and fine-tunes: EleutherAI's
/// Pythia (GPT-NeoX layout) and Meta's OPT below 175B, each at the shape its paper's table gives
/// and its Hugging Face checkpoint's exact parameter count.
extension ModelCatalog {
    static let scalingSuitePresets: [ModelPreset] = [
        // Biderman et al. 2023, Pythia, Table 1 (layers, model dim, heads; total parameters as
        // HF EleutherAI/pythia-* reports them): GPT-NeoX blocks (parallel attention and MLP, two
        // LayerNorms, biases, rotary on a quarter of each head), untied input and output
        // embeddings over a 50,304-entry vocabulary (50,432 at 6.9B, 50,688 at 12B), 2,048 context.
        pythia("pythia-70m", layers: 6, hidden: 512, heads: 8),          // 70,426,624
        pythia("pythia-160m", layers: 12, hidden: 768, heads: 12),       // 162,322,944
        pythia("pythia-410m", layers: 24, hidden: 1024, heads: 16),      // 405,334,016
        pythia("pythia-1b", layers: 16, hidden: 2048, heads: 8),         // 1,011,781,632
        pythia("pythia-1.4b", layers: 24, hidden: 2048, heads: 16),      // 1,414,647,808
        pythia("pythia-2.8b", layers: 32, hidden: 2560, heads: 32),      // 2,775,208,960
        pythia("pythia-6.9b", layers: 32, hidden: 4096, heads: 32, vocab: 50432),  // 6,857,302,016
        pythia("pythia-12b", layers: 36, hidden: 5120, heads: 40, vocab: 50688),   // 11,846,072,320
        // Zhang et al. 2022, OPT, Table 1 (layers, heads, model dim): the OPT-175B layout (ReLU,
        // 4h MLP, biases, LayerNorm, learned positions offset by 2, tied output layer, vocabulary
        // 50,272) at the sizes whose HF facebook/opt-* checkpoints keep it (OPT-350m projects its
        // embeddings and is not one of them).
        opt("opt-125m", layers: 12, hidden: 768, heads: 12),             // 125,239,296
        opt("opt-1.3b", layers: 24, hidden: 2048, heads: 32),            // 1,315,758,080
        opt("opt-2.7b", layers: 32, hidden: 2560, heads: 32),            // 2,651,596,800
        opt("opt-6.7b", layers: 32, hidden: 4096, heads: 32),            // 6,658,473,984
        opt("opt-13b", layers: 40, hidden: 5120, heads: 40),             // 12,853,473,280
    ]

    static func pythia(_ name: String, layers: Int, hidden: Int, heads: Int, vocab: Int = 50304) -> ModelPreset {
        ModelPreset(family: "pythia", aliases: [name + "-deduped"],
                    source: "Biderman et al. 2023, Pythia, Table 1; huggingface.co/EleutherAI/\(name)",
                    model: TransformerModel(
                        name: name, layers: layers, hidden: hidden, heads: heads, ffn: 4 * hidden, mlp: .gelu,
                        vocab: vocab, maxSeq: 2048, tiedEmbeddings: false, qkvBias: true, linearBias: true,
                        norm: .layernorm, position: .rotary, parallelBlock: true))
    }

    static func opt(_ name: String, layers: Int, hidden: Int, heads: Int) -> ModelPreset {
        ModelPreset(family: "opt", aliases: [],
                    source: "Zhang et al. 2022, OPT, Table 1; huggingface.co/facebook/\(name)",
                    model: TransformerModel(
                        name: name, layers: layers, hidden: hidden, heads: heads, ffn: 4 * hidden, mlp: .relu,
                        vocab: 50272, maxSeq: 2048, tiedEmbeddings: true, qkvBias: true, linearBias: true,
                        norm: .layernorm, position: .learned, details: .init(positionOffset: 2)))
    }
}

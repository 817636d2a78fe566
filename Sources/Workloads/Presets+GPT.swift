/// GPT-style models with learned or rotary positions and biases: GPT-2, GPT-3, OPT, BLOOM,
/// GPT-NeoX, Falcon, Phi-2.
extension ModelCatalog {
    static let gptPresets: [ModelPreset] = [
        // Radford et al. 2019; HF openai-community/gpt2 (124,439,808 parameters).
        ModelPreset(family: "gpt2", aliases: ["gpt2-small", "gpt2-124m"],
                    source: "Radford et al. 2019; huggingface.co/openai-community/gpt2",
                    model: gpt2("gpt2", layers: 12, hidden: 768, heads: 12)),
        // HF openai-community/gpt2-xl (1,557,611,200 parameters).
        ModelPreset(family: "gpt2", aliases: ["gpt2-1.5b"],
                    source: "Radford et al. 2019; huggingface.co/openai-community/gpt2-xl",
                    model: gpt2("gpt2-xl", layers: 48, hidden: 1600, heads: 25)),
        // Brown et al. 2020, Table 2.1 (GPT-2 architecture, 2048 context, BPE vocabulary 50,257).
        ModelPreset(family: "gpt3", aliases: ["gpt3", "gpt-3", "gpt-3-175b"],
                    source: "Brown et al. 2020, Language Models are Few-Shot Learners, Table 2.1",
                    model: TransformerModel(
                        name: "gpt3-175b", layers: 96, hidden: 12288, heads: 96, ffn: 49152, mlp: .gelu,
                        vocab: 50257, maxSeq: 2048, tiedEmbeddings: true, qkvBias: true, linearBias: true,
                        norm: .layernorm, position: .learned)),
        // Zhang et al. 2022, OPT, Table 1; metaseq/HF OPT layout (positions offset by 2, ReLU, tied).
        ModelPreset(family: "opt", aliases: ["opt"],
                    source: "Zhang et al. 2022, OPT: Open Pre-trained Transformer Language Models, Table 1",
                    model: TransformerModel(
                        name: "opt-175b", layers: 96, hidden: 12288, heads: 96, ffn: 49152, mlp: .relu,
                        vocab: 50272, maxSeq: 2048, tiedEmbeddings: true, qkvBias: true, linearBias: true,
                        norm: .layernorm, position: .learned, details: .init(positionOffset: 2))),
        // HF bigscience/bloom (176,247,271,424 parameters); BigScience 2022, ALiBi, embedding LayerNorm.
        ModelPreset(family: "bloom", aliases: ["bloom"],
                    source: "BigScience 2022, BLOOM; huggingface.co/bigscience/bloom",
                    model: TransformerModel(
                        name: "bloom-176b", layers: 70, hidden: 14336, heads: 112, ffn: 57344, mlp: .gelu,
                        vocab: 250880, maxSeq: 2048, tiedEmbeddings: true, qkvBias: true, linearBias: true,
                        norm: .layernorm, position: .alibi, details: .init(embeddingNorm: true))),
        // HF bigscience/bloom-7b1 config.json (7,069,016,064 parameters): the BLOOM layout at 30
        // layers of 4096; BLOOMZ-7B1 (Muennighoff et al. 2023) is it fine-tuned.
        ModelPreset(family: "bloom", aliases: ["bloomz-7b1"],
                    source: "BigScience 2022, BLOOM; huggingface.co/bigscience/bloom-7b1",
                    model: TransformerModel(
                        name: "bloom-7b1", layers: 30, hidden: 4096, heads: 32, ffn: 16384, mlp: .gelu,
                        vocab: 250880, maxSeq: 2048, tiedEmbeddings: true, qkvBias: true, linearBias: true,
                        norm: .layernorm, position: .alibi, details: .init(embeddingNorm: true))),
        // Black et al. 2022; HF EleutherAI/gpt-neox-20b (20,554,567,680 parameters).
        ModelPreset(family: "gpt-neox", aliases: ["neox-20b"],
                    source: "Black et al. 2022, GPT-NeoX-20B; huggingface.co/EleutherAI/gpt-neox-20b",
                    model: TransformerModel(
                        name: "gpt-neox-20b", layers: 44, hidden: 6144, heads: 64, ffn: 24576, mlp: .gelu,
                        vocab: 50432, maxSeq: 2048, tiedEmbeddings: false, qkvBias: true, linearBias: true,
                        norm: .layernorm, position: .rotary, parallelBlock: true)),
        // HF tiiuae/falcon-7b: multi-query attention, parallel block with one LayerNorm, no biases.
        ModelPreset(family: "falcon", aliases: [],
                    source: "Almazrouei et al. 2023, The Falcon Series; huggingface.co/tiiuae/falcon-7b",
                    model: TransformerModel(
                        name: "falcon-7b", layers: 32, hidden: 4544, heads: 71, kvHeads: 1, ffn: 18176,
                        mlp: .gelu, vocab: 65024, maxSeq: 2048, tiedEmbeddings: true, norm: .layernorm,
                        position: .rotary, parallelBlock: true, details: .init(normsPerBlock: 1))),
        // HF microsoft/phi-2 config.json (2,779,683,840 parameters; Javaheripi et al. 2023): the
        // phi-1.5 architecture (Li et al. 2023) at 32 layers of 2560, 4h GELU MLP, one LayerNorm
        // per parallel block, biases everywhere, partial rotary, untied output layer with a bias,
        // vocabulary 51,200.
        ModelPreset(family: "phi", aliases: [],
                    source: "Javaheripi et al. 2023, Phi-2; huggingface.co/microsoft/phi-2",
                    model: TransformerModel(
                        name: "phi-2", layers: 32, hidden: 2560, heads: 32, ffn: 10240, mlp: .gelu,
                        vocab: 51200, maxSeq: 2048, tiedEmbeddings: false, qkvBias: true, linearBias: true,
                        norm: .layernorm, position: .rotary, parallelBlock: true,
                        details: .init(normsPerBlock: 1, outputBias: true))),
    ]

    /// GPT-2 layout: 4h GELU MLP, biases everywhere, LayerNorm, learned positions, 1024 context,
    /// vocabulary 50,257, output layer tied to the embedding (HF `GPT2LMHeadModel`).
    static func gpt2(_ name: String, layers: Int, hidden: Int, heads: Int) -> TransformerModel {
        TransformerModel(
            name: name, layers: layers, hidden: hidden, heads: heads, ffn: 4 * hidden, mlp: .gelu,
            vocab: 50257, maxSeq: 1024, tiedEmbeddings: true, qkvBias: true, linearBias: true,
            norm: .layernorm, position: .learned)
    }
}

/// Encoder-only (BERT, RoBERTa) and encoder-decoder (T5, mT5, T0) models of the small-model and
/// PEFT literature. Each is the class its Hugging Face checkpoint names in `architectures`: the
/// masked-LM model for BERT/RoBERTa (no pooler), the conditional-generation model for T5.
extension ModelCatalog {
    static let encoderPresets: [ModelPreset] = [
        // Devlin et al. 2019, BERT, section 3 (BERT-BASE L=12, H=768, A=12, 110M); HF
        // google-bert/bert-base-uncased config.json (BertForMaskedLM: 109,514,298; BertModel with
        // its pooler: 109,482,240).
        bert("bert-base", aliases: ["bert-base-uncased"], layers: 12, hidden: 768, heads: 12,
             repository: "google-bert/bert-base-uncased"),
        // Devlin et al. 2019 (BERT-LARGE L=24, H=1024, A=16, 340M); HF google-bert/bert-large-uncased.
        bert("bert-large", aliases: ["bert-large-uncased"], layers: 24, hidden: 1024, heads: 16,
             repository: "google-bert/bert-large-uncased"),
        // Liu et al. 2019, RoBERTa (BERT-LARGE shape, 50K byte-level BPE, 355M); HF
        // FacebookAI/roberta-large config.json: 514 position rows (offset 2), one token type.
        ModelPreset(family: "roberta", aliases: [],
                    source: "Liu et al. 2019, RoBERTa; huggingface.co/FacebookAI/roberta-large",
                    model: encoder("roberta-large", layers: 24, hidden: 1024, heads: 16, vocab: 50265,
                                   positionOffset: 2, tokenTypes: 1)),
        // Raffel et al. 2020, T5, section 3.7 (Small 60M, Base 220M, Large 770M, 3B);
        // HF google-t5/t5-* config.json: ReLU MLP, tied lm_head.
        t5("t5-small", layers: 6, hidden: 512, heads: 8, headDim: 64, ffn: 2048),
        t5("t5-base", layers: 12, hidden: 768, heads: 12, headDim: 64, ffn: 3072),
        t5("t5-large", layers: 24, hidden: 1024, heads: 16, headDim: 64, ffn: 4096),
        t5("t5-3b", layers: 24, hidden: 1024, heads: 32, headDim: 128, ffn: 16384),
        // Sanh et al. 2022, T0 (multitask prompted training of LM-adapted T5 v1.1, Lester et al.
        // 2021); HF bigscience/T0_3B config.json: T5 v1.1 XL shape (d_model 2048, d_ff 5120,
        // gated GELU, untied), not t5-3b's.
        ModelPreset(family: "t5", aliases: ["t0_3b", "t5-v1_1-xl"],
                    source: "Sanh et al. 2022, T0; huggingface.co/bigscience/T0_3B",
                    model: t5Model("t0-3b", layers: 24, hidden: 2048, heads: 32, headDim: 64, ffn: 5120,
                                   mlp: .geglu, vocab: 32128, tied: false)),
        // Xue et al. 2021, mT5 (XXL: 13B); HF google/mt5-xxl config.json: 250,112 tokens,
        // gated GELU, untied lm_head. mT0-XXL (Muennighoff et al. 2023) is mT5-XXL fine-tuned.
        ModelPreset(family: "mt5", aliases: ["mt0-xxl"],
                    source: "Xue et al. 2021, mT5; huggingface.co/google/mt5-xxl",
                    model: t5Model("mt5-xxl", layers: 24, hidden: 4096, heads: 64, headDim: 64, ffn: 10240,
                                   mlp: .geglu, vocab: 250112, tied: false)),
    ]

    /// A BERT masked-LM preset (uncased WordPiece vocabulary of 30,522, 512 positions, 2 token types).
    static func bert(_ name: String, aliases: [String], layers: Int, hidden: Int, heads: Int,
                     repository: String) -> ModelPreset {
        ModelPreset(family: "bert", aliases: aliases,
                    source: "Devlin et al. 2019, BERT; huggingface.co/\(repository)",
                    model: encoder(name, layers: layers, hidden: hidden, heads: heads, vocab: 30522,
                                   positionOffset: 0, tokenTypes: 2))
    }

    /// The BERT layout (HF `BertForMaskedLM`; what `HuggingFaceConfig.bert` reads): 4h GELU MLP,
    /// biases, post-LN with an embedding LayerNorm and no final norm, 512 learned positions,
    /// bidirectional attention, masked-LM head tied to the embedding.
    static func encoder(_ name: String, layers: Int, hidden: Int, heads: Int, vocab: Int, positionOffset: Int,
                        tokenTypes: Int) -> TransformerModel {
        TransformerModel(
            name: name, layers: layers, hidden: hidden, heads: heads, ffn: 4 * hidden, mlp: .gelu, vocab: vocab,
            maxSeq: 512, tiedEmbeddings: true, qkvBias: true, linearBias: true, norm: .layernorm,
            position: .learned, attention: .bidirectional, outputHead: .maskedLM,
            details: .init(embeddingNorm: true, positionOffset: positionOffset, finalNorm: false,
                           tokenTypes: tokenTypes))
    }

    /// An original T5 (v1.0) preset: ReLU MLP, 32,128-token vocabulary, tied `lm_head`.
    static func t5(_ name: String, layers: Int, hidden: Int, heads: Int, headDim: Int, ffn: Int) -> ModelPreset {
        ModelPreset(family: "t5", aliases: ["google-\(name)"],
                    source: "Raffel et al. 2020, T5; huggingface.co/google-t5/\(name)",
                    model: t5Model(name, layers: layers, hidden: hidden, heads: heads, headDim: headDim, ffn: ffn,
                                   mlp: .relu, vocab: 32128, tied: true))
    }

    /// The T5 layout (HF `T5ForConditionalGeneration`; what `HuggingFaceConfig.t5` reads): equal
    /// encoder and decoder stacks, no biases, RMS-style norms, relative position bias with 32
    /// buckets, 512-token inputs.
    static func t5Model(_ name: String, layers: Int, hidden: Int, heads: Int, headDim: Int, ffn: Int,
                        mlp: MLPKind, vocab: Int, tied: Bool) -> TransformerModel {
        TransformerModel(
            name: name, layers: layers, hidden: hidden, heads: heads, headDim: headDim, ffn: ffn, mlp: mlp,
            vocab: vocab, maxSeq: 512, tiedEmbeddings: tied, norm: .rmsnorm, position: .relativeBias,
            attention: .bidirectional, decoder: DecoderStack(layers: layers))
    }
}

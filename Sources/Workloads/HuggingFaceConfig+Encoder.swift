/// `config.json` readers for encoder-only model types: bert, roberta.
extension HuggingFaceConfig {
    /// HF `BertModel` / `BertForMaskedLM` (Devlin et al. 2019): see `encoder`.
    static func bert(_ c: ConfigReader, name: String) throws -> TransformerModel {
        try encoder(c, name: name, positionOffset: 0)
    }

    /// HF `RobertaModel` / `RobertaForMaskedLM` (Liu et al. 2019): BERT's layout; position ids
    /// start after the padding index (`create_position_ids_from_input_ids`), so the first
    /// `pad_token_id + 1` rows (2 for the released checkpoints) of the `max_position_embeddings`
    /// table hold no position: 514 rows, 512 positions.
    static func roberta(_ c: ConfigReader, name: String) throws -> TransformerModel {
        let padding = try c.int("pad_token_id", default: 1)
        guard padding >= 0, padding < TransformerModel.Limits.maxSeq else {
            throw c.invalid("pad_token_id", .int(padding), expected: "between 0 and \(TransformerModel.Limits.maxSeq - 1)")
        }
        return try encoder(c, name: name, positionOffset: padding + 1)
    }

    /// An encoder-only stack as HF builds it: bidirectional attention; word, learned absolute
    /// position (`max_position_embeddings` rows) and token-type (`type_vocab_size`, default 2)
    /// embeddings followed by a LayerNorm; post-LN blocks with biases on every linear layer and
    /// two LayerNorms, no final norm; a GELU MLP of `intermediate_size`. The head follows
    /// `architectures[0]`: `...Model` is the bare encoder with its pooler (`h x h` + bias);
    /// `...ForMaskedLM`, or no `architectures`, is the masked-LM model (no pooler; dense `h x h` +
    /// bias, LayerNorm, decoder tied to the embedding with a bias of V); `...ForPreTraining` has
    /// both (its 2-way next-sentence classifier, `2h + 2`, is not counted); any other task head is
    /// counted as the bare encoder (its few `h x labels` weights are not counted).
    private static func encoder(_ c: ConfigReader, name: String, positionOffset: Int) throws -> TransformerModel {
        let hidden = try c.int("hidden_size")
        let heads = try c.int("num_attention_heads")
        let positionType = try c.optionalString("position_embedding_type") ?? "absolute"
        guard positionType == "absolute" else {
            throw WorkloadError(
                "\(c.file): key 'position_embedding_type' must be absolute, got \"\(positionType)\" "
                    + "(relative_key variants are not supported)")
        }
        let tableRows = try c.int("max_position_embeddings", default: 512)
        guard tableRows > positionOffset else {
            throw WorkloadError(
                "\(c.file): key 'max_position_embeddings' \(tableRows) must exceed the position offset \(positionOffset)")
        }
        let architecture = firstArchitecture(c) ?? "ForMaskedLM"
        let maskedLM = architecture.hasSuffix("ForMaskedLM") || architecture.hasSuffix("ForPreTraining")
        let pooler = !architecture.hasSuffix("ForMaskedLM")
        return TransformerModel(
            name: name, layers: try c.int("num_hidden_layers"), hidden: hidden, heads: heads,
            headDim: try headDim(c, hidden: hidden, heads: heads, headsKey: "num_attention_heads"),
            ffn: try c.int("intermediate_size"), mlp: plainMLP(try c.optionalString("hidden_act")),
            vocab: try c.int("vocab_size"), maxSeq: tableRows - positionOffset,
            tiedEmbeddings: try c.bool("tie_word_embeddings", default: true), qkvBias: true, linearBias: true,
            norm: .layernorm, position: .learned, attention: .bidirectional,
            outputHead: maskedLM ? .maskedLM : .none,
            details: .init(embeddingNorm: true, positionOffset: positionOffset, finalNorm: false,
                           tokenTypes: try c.int("type_vocab_size", default: 2), pooler: pooler))
    }

    /// The first class name of `architectures` (the class the checkpoint was saved from), or nil.
    static func firstArchitecture(_ c: ConfigReader) -> String? {
        guard case .array(let names)? = c.values["architectures"], case .string(let first)? = names.first else {
            return nil
        }
        return first
    }
}

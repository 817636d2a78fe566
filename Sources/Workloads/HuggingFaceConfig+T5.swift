/// `config.json` reader for encoder-decoder model types: t5, mt5 (T0 and mT0 are T5 and mT5).
extension HuggingFaceConfig {
    /// HF `T5ForConditionalGeneration` / `MT5ForConditionalGeneration` (Raffel et al. 2020; Xue et
    /// al. 2021): an encoder of `num_layers` and a decoder of `num_decoder_layers` (default
    /// `num_layers`) layers; attention widths `num_heads x d_kv`, independent of `d_model`; no
    /// biases anywhere; T5LayerNorm (RMS scaling, weight only); relative position bias with
    /// `relative_attention_num_buckets` buckets in the first layer of each stack; one embedding
    /// shared by both stacks; `lm_head` tied unless `tie_word_embeddings` is false (T5 v1.1, mT5).
    /// `feed_forward_proj`: `relu` (T5 v1.0, `wi`/`wo`) or `gated-gelu` (T5 v1.1, mT5, T0, mT0:
    /// `wi_0`/`wi_1`/`wo`), as HF's `T5Config` parses it (`gated-ACT` or `ACT`).
    /// `T5EncoderModel` checkpoints are read as the encoder alone, without a head.
    /// T5 has no position limit; `max_seq` is `n_positions` if given, else 512, the input length
    /// T5 was pre-trained with (Raffel et al. 2020).
    static func t5(_ c: ConfigReader, name: String) throws -> TransformerModel {
        let layers = try c.int("num_layers")
        let headDim = try c.int("d_kv")
        guard headDim > 0 else { throw c.invalid("d_kv", .int(headDim), expected: "a positive integer") }
        let decoderLayers = try c.optionalInt("num_decoder_layers") ?? layers
        let architecture = firstArchitecture(c) ?? ""
        let encoderOnly = architecture.hasSuffix("EncoderModel")
        return TransformerModel(
            name: name, layers: layers, hidden: try c.int("d_model"), heads: try c.int("num_heads"),
            headDim: headDim, ffn: try c.int("d_ff"), mlp: try t5FeedForward(c), vocab: try c.int("vocab_size"),
            maxSeq: try c.int("n_positions", default: 512),
            tiedEmbeddings: try c.bool("tie_word_embeddings", default: true), norm: .rmsnorm,
            position: .relativeBias, attention: .bidirectional,
            decoder: encoderOnly ? nil : DecoderStack(layers: decoderLayers),
            outputHead: encoderOnly ? .none : .lmHead,
            details: .init(relativeAttentionBuckets: try c.int("relative_attention_num_buckets", default: 32)))
    }

    /// The MLP named by `feed_forward_proj` (default `relu`).
    private static func t5FeedForward(_ c: ConfigReader) throws -> MLPKind {
        let kinds: [String: MLPKind] = [
            "relu": .relu, "gelu": .gelu, "gelu_new": .gelu,
            "gated-gelu": .geglu, "gated-gelu_new": .geglu, "gated-silu": .swiglu,
        ]
        let value = try c.optionalString("feed_forward_proj") ?? "relu"
        guard let kind = kinds[value] else {
            throw WorkloadError(
                "\(c.file): key 'feed_forward_proj' must be one of "
                    + kinds.keys.sorted().joined(separator: ", ") + ", got \"\(value)\"")
        }
        return kind
    }
}

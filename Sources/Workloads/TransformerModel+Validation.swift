/// Checks that a model description is one Loom can count and cost without overflow or nonsense.
extension TransformerModel {
    /// Largest accepted sizes. Far beyond any published model (the largest hidden size is 25,600,
    /// Megatron 1T; the longest context about 10M tokens), they keep every count well inside `Int`.
    public enum Limits {
        public static let hidden = 10_000_000
        public static let layers = 100_000
        public static let heads = 1_000_000
        public static let headDim = 1_000_000
        public static let ffn = 100_000_000
        public static let vocab = 100_000_000
        public static let maxSeq = 1 << 30
        public static let experts = 1_000_000
    }

    /// Throws a `WorkloadError` whose description is one line naming the first bad field (by its
    /// snake_case file name), its value and the rule it breaks, e.g. `kv_heads 5 does not divide heads 32`.
    public func validate() throws {
        try Self.check("layers", layers, limit: Limits.layers)
        try Self.check("hidden", hidden, limit: Limits.hidden)
        try Self.check("heads", heads, limit: Limits.heads)
        try Self.check("kv_heads", kvHeads, limit: Limits.heads)
        try Self.check("vocab", vocab, limit: Limits.vocab)
        try Self.check("max_seq", maxSeq, limit: Limits.maxSeq)
        if mla == nil {
            // headDim == hidden / heads with a remainder means it was derived, not given (Gemma's
            // explicit 256 with hidden 3072 and 16 heads is fine).
            if hidden % heads != 0 && headDim == hidden / heads {
                throw WorkloadError("hidden \(hidden) is not divisible by heads \(heads)")
            }
            try Self.check("head_dim", headDim, limit: Limits.headDim)
        }
        if kvHeads > heads {
            throw WorkloadError("kv_heads \(kvHeads) exceeds heads \(heads)")
        }
        if heads % kvHeads != 0 {
            throw WorkloadError("kv_heads \(kvHeads) does not divide heads \(heads)")
        }
        if moe == nil || denseLayerCount > 0 {
            try Self.check("ffn", ffn, limit: Limits.ffn)
        } else if ffn < 0 || ffn > Limits.ffn {
            // Every layer is MoE, so the dense width is unused and may be 0.
            throw WorkloadError("ffn must be between 0 and \(Limits.ffn), got \(ffn)")
        }
        try validateDetails()
        if let moe { try Self.validate(moe, layers: layers) }
        if let mla { try Self.validate(mla) }
        try validateStacks()
        if parameterCount.total == Int.max {
            throw WorkloadError("model too large: its parameter count does not fit in a 64-bit integer")
        }
    }

    private func validateDetails() throws {
        if details.normsPerBlock < 0 || details.normsPerBlock > 8 {
            throw WorkloadError("norms_per_block must be between 0 and 8, got \(details.normsPerBlock)")
        }
        if details.positionOffset < 0 || details.positionOffset > Limits.maxSeq {
            throw WorkloadError("position_offset must be between 0 and \(Limits.maxSeq), got \(details.positionOffset)")
        }
        if let window = attentionWindow {
            try Self.check("sliding_window", window.size, limit: Limits.maxSeq)
            if window.layers < 0 || window.layers > layers {
                throw WorkloadError("sliding_window_layers must be between 0 and layers \(layers), got \(window.layers)")
            }
        }
        if details.embeddingProjectionDim < 0 || details.embeddingProjectionDim > Limits.hidden {
            throw WorkloadError(
                "embedding_projection_dim must be between 0 and \(Limits.hidden), got \(details.embeddingProjectionDim)")
        }
    }

    /// The decoder stack, token types and relative-position buckets (encoder and encoder-decoder models).
    private func validateStacks() throws {
        if let decoder {
            try Self.check("decoder.layers", decoder.layers, limit: Limits.layers)
            if moe != nil {
                throw WorkloadError("moe with a decoder stack (encoder-decoder) is not supported")
            }
            if mla != nil {
                throw WorkloadError("mla with a decoder stack (encoder-decoder) is not supported")
            }
        }
        if details.tokenTypes < 0 || details.tokenTypes > Limits.vocab {
            throw WorkloadError("token_types must be between 0 and \(Limits.vocab), got \(details.tokenTypes)")
        }
        if position == .relativeBias {
            try Self.check("relative_attention_buckets", details.relativeAttentionBuckets, limit: Limits.maxSeq)
        }
    }

    private static func validate(_ moe: MoEConfig, layers: Int) throws {
        try check("moe.experts", moe.experts, limit: Limits.experts)
        try check("moe.experts_per_token", moe.expertsPerToken, limit: Limits.experts)
        if moe.expertsPerToken > moe.experts {
            throw WorkloadError(
                "moe.experts_per_token \(moe.expertsPerToken) exceeds moe.experts \(moe.experts)")
        }
        try check("moe.expert_ffn", moe.expertFFN, limit: Limits.ffn)
        if moe.sharedExperts < 0 || moe.sharedExperts > Limits.experts {
            throw WorkloadError("moe.shared_experts must be between 0 and \(Limits.experts), got \(moe.sharedExperts)")
        }
        if moe.sharedExperts > 0 {
            try check("moe.shared_expert_ffn", moe.sharedExpertFFN, limit: Limits.ffn)
        }
        if moe.denseLayers < 0 || moe.denseLayers > layers {
            throw WorkloadError("moe.dense_layers must be between 0 and layers \(layers), got \(moe.denseLayers)")
        }
        try check("moe.layer_frequency", moe.layerFrequency, limit: Limits.layers)
    }

    private static func validate(_ mla: MLAConfig) throws {
        if mla.qLoraRank < 0 || mla.qLoraRank > Limits.hidden {
            throw WorkloadError("mla.q_lora_rank must be between 0 and \(Limits.hidden), got \(mla.qLoraRank)")
        }
        try check("mla.kv_lora_rank", mla.kvLoraRank, limit: Limits.hidden)
        if mla.qkNopeHeadDim < 0 || mla.qkNopeHeadDim > Limits.headDim {
            throw WorkloadError(
                "mla.qk_nope_head_dim must be between 0 and \(Limits.headDim), got \(mla.qkNopeHeadDim)")
        }
        try check("mla.qk_rope_head_dim", mla.qkRopeHeadDim, limit: Limits.headDim)
        try check("mla.v_head_dim", mla.vHeadDim, limit: Limits.headDim)
    }

    /// A size must be a positive integer no larger than `limit`.
    static func check(_ field: String, _ value: Int, limit: Int) throws {
        if value <= 0 {
            throw WorkloadError("\(field) must be a positive integer, got \(value)")
        }
        if value > limit {
            throw WorkloadError("\(field) \(value) exceeds the limit of \(limit)")
        }
    }
}

/// The parameters of one component of a model split into matrix entries (multiplied in matmuls,
/// so they cost FLOPs: 2 per entry per token, forward) and vector entries (biases and norm scales,
/// which do not). The cost model takes matmul shapes and sharding from these.
public struct WeightCount: Sendable, Hashable {
    public var matrices: Int
    public var vectors: Int

    public init(matrices: Int, vectors: Int) {
        self.matrices = matrices
        self.vectors = vectors
    }

    public var total: Int { Saturating.add(matrices, vectors) }

    public static let zero = WeightCount(matrices: 0, vectors: 0)

    public static func * (count: Int, size: WeightCount) -> WeightCount {
        WeightCount(matrices: Saturating.multiply(count, size.matrices),
                    vectors: Saturating.multiply(count, size.vectors))
    }

    public static func + (lhs: WeightCount, rhs: WeightCount) -> WeightCount {
        WeightCount(matrices: Saturating.add(lhs.matrices, rhs.matrices),
                    vectors: Saturating.add(lhs.vectors, rhs.vectors))
    }
}

/// Per-component weights of a `TransformerModel` (formulas in `ParameterCount`): `parameterCount`
/// sums them, `flops` multiplies their matrices.
extension TransformerModel {
    /// Parameters of one norm: h for RMSNorm, 2h for LayerNorm with bias.
    public var normParameters: Int { Saturating.multiply(hidden, norm.parametersPerChannel) }

    /// Width of the embedding table: `embeddingProjectionDim` when set (OPT-350m), else `hidden`.
    public var embeddingWidth: Int {
        details.embeddingProjectionDim > 0 ? details.embeddingProjectionDim : hidden
    }

    /// Token embedding `V x e` (a lookup, so counted as vectors), plus the input projection
    /// `e x h` when e differs from h (HF `OPTDecoder.project_in`, no bias).
    public var embeddingWeights: WeightCount {
        let table = Saturating.multiply(vocab, embeddingWidth)
        let projection = details.embeddingProjectionDim > 0 ? Saturating.multiply(embeddingWidth, hidden) : 0
        // The table is a lookup, not a matmul; only the projection costs FLOPs.
        return WeightCount(matrices: projection, vectors: table)
    }

    /// The output head (`outputHead`): logits `V x e` unless tied, plus the output projection
    /// `h x e` (OPT `project_out`); for `.maskedLM` the transform `h x h` with its bias and norm,
    /// the decoder `V x h` unless tied, and its bias of V (HF `BertLMPredictionHead`); nothing
    /// for `.none`.
    public var outputWeights: WeightCount {
        switch outputHead {
        case .none:
            return .zero
        case .maskedLM:
            let decoder = tiedEmbeddings ? 0 : Saturating.multiply(vocab, hidden)
            return WeightCount(matrices: Saturating.add(Saturating.multiply(hidden, hidden), decoder),
                               vectors: Saturating.sum(hidden, normParameters, vocab))
        case .lmHead:
            let logits = tiedEmbeddings ? 0 : Saturating.multiply(vocab, embeddingWidth)
            let projection = details.embeddingProjectionDim > 0 ? Saturating.multiply(hidden, embeddingWidth) : 0
            return WeightCount(matrices: Saturating.add(logits, projection),
                               vectors: details.outputBias ? vocab : 0)
        }
    }

    /// The matmul weights of the output side that every token multiplies, tied or not: logits
    /// `V x e` plus the projections (for FLOP counts); the masked-LM head adds its `h x h`
    /// transform; a model without a head has none.
    public var outputMatmulWeights: Int {
        switch outputHead {
        case .none:
            return 0
        case .maskedLM:
            return Saturating.add(Saturating.multiply(vocab, hidden), Saturating.multiply(hidden, hidden))
        case .lmHead:
            let projections = details.embeddingProjectionDim > 0
                ? Saturating.multiply(2, Saturating.multiply(hidden, embeddingWidth)) : 0
            return Saturating.add(Saturating.multiply(vocab, embeddingWidth), projections)
        }
    }

    /// Token-type (segment) table `tokenTypes x h` (BERT), a lookup.
    public var tokenTypeWeights: WeightCount {
        WeightCount(matrices: 0, vectors: Saturating.multiply(max(0, details.tokenTypes), hidden))
    }

    /// BERT's pooler: dense `h x h` plus bias h on the first token of each sequence (HF `BertPooler`).
    public var poolerWeights: WeightCount {
        details.pooler ? WeightCount(matrices: Saturating.multiply(hidden, hidden), vectors: hidden) : .zero
    }

    /// Relative position bias of all stacks: `buckets x heads` per stack (T5, in the first layer
    /// of the encoder and of the decoder; HF `has_relative_attention_bias`); 0 otherwise.
    public var relativePositionBiasParameters: Int {
        guard position == .relativeBias else { return 0 }
        return Saturating.product(max(0, details.relativeAttentionBuckets), heads, stackCount)
    }

    /// Cross-attention of one decoder layer: Q from the decoder `h x a d`, K and V from the
    /// encoder output `h x k d` each, output `a d x h`: the shapes of self-attention (HF
    /// `T5LayerCrossAttention`); zero without a decoder stack.
    public var crossAttentionWeights: WeightCount {
        isEncoderDecoder ? attentionWeights : .zero
    }

    /// The K and V projections of one cross-attention block, which multiply the encoder's output
    /// (input tokens), not the decoder's tokens.
    public var crossAttentionKeyValueMatrices: Int {
        isEncoderDecoder ? Saturating.product(2, hidden, Saturating.multiply(kvHeads, headDim)) : 0
    }

    /// One attention block: standard multi-head / GQA / MQA, or DeepSeek MLA. Standard attention
    /// adds `2 d` norm scales with per-head Q/K norms (Qwen3) and `a` sink logits (GPT-OSS).
    public var attentionWeights: WeightCount {
        if let mla { return latentAttentionSize(mla) }
        let queryWidth = Saturating.multiply(heads, headDim)
        let keyValueWidth = Saturating.multiply(kvHeads, headDim)
        let matrices = Saturating.sum(
            Saturating.multiply(hidden, queryWidth),                        // Q
            Saturating.product(2, hidden, keyValueWidth),                  // K, V
            Saturating.multiply(queryWidth, hidden))                       // output
        var vectors = 0
        if qkvBias { vectors = Saturating.sum(vectors, queryWidth, keyValueWidth, keyValueWidth) }
        if linearBias { vectors = Saturating.add(vectors, hidden) }
        if details.qkNorm {
            vectors = Saturating.add(vectors, Saturating.product(2, headDim, norm.parametersPerChannel))
        }
        if details.valueNorm { vectors = Saturating.add(vectors, Saturating.multiply(headDim, norm.parametersPerChannel)) }
        if details.attentionSinks { vectors = Saturating.add(vectors, heads) }
        return WeightCount(matrices: matrices, vectors: vectors)
    }

    /// DeepSeek multi-head latent attention (HF `DeepseekV3Attention`): biases, when
    /// `attention_bias` is set, sit on `q_a_proj`, `kv_a_proj_with_mqa` and `o_proj` only.
    private func latentAttentionSize(_ mla: MLAConfig) -> WeightCount {
        let queryKeyWidth = Saturating.multiply(heads, queryKeyHeadDim)
        let query = mla.qLoraRank > 0
            ? Saturating.add(Saturating.multiply(hidden, mla.qLoraRank),
                             Saturating.multiply(mla.qLoraRank, queryKeyWidth))
            : Saturating.multiply(hidden, queryKeyWidth)
        let keyValueDown = Saturating.multiply(hidden, Saturating.add(mla.kvLoraRank, mla.qkRopeHeadDim))
        let keyValueUp = Saturating.product(mla.kvLoraRank, heads, Saturating.add(mla.qkNopeHeadDim, mla.vHeadDim))
        let output = Saturating.product(heads, mla.vHeadDim, hidden)
        var vectors = Saturating.multiply(mla.kvLoraRank, norm.parametersPerChannel)
        if mla.qLoraRank > 0 {
            vectors = Saturating.add(vectors, Saturating.multiply(mla.qLoraRank, norm.parametersPerChannel))
        }
        if qkvBias {
            vectors = Saturating.sum(vectors, max(mla.qLoraRank, 0), mla.kvLoraRank, mla.qkRopeHeadDim)
        }
        if linearBias { vectors = Saturating.add(vectors, hidden) }
        return WeightCount(matrices: Saturating.sum(query, keyValueDown, keyValueUp, output), vectors: vectors)
    }

    /// One MLP of intermediate width `ffn`: `m h f` weights; biases `(m - 1) f + h` when present.
    public func mlpWeights(ffn: Int) -> WeightCount {
        let matrices = Saturating.product(mlp.matrices, hidden, ffn)
        let vectors = mlpHasBias ? Saturating.add(Saturating.multiply(mlp.matrices - 1, ffn), hidden) : 0
        return WeightCount(matrices: matrices, vectors: vectors)
    }

    /// Router of one MoE layer: `h x E`, plus a per-expert bias (DeepSeek-V3).
    public var routerWeights: WeightCount {
        guard let moe else { return .zero }
        return WeightCount(matrices: Saturating.multiply(hidden, moe.experts),
                             vectors: moe.routerBias ? moe.experts : 0)
    }

    /// Shared experts of one MoE layer, plus Qwen2-MoE's `h x 1` sigmoid gate on their output.
    public var sharedExpertWeights: WeightCount {
        guard let moe, moe.sharedExperts > 0 else { return .zero }
        let experts = moe.sharedExperts * mlpWeights(ffn: moe.sharedExpertFFN)
        return moe.sharedExpertGate ? experts + WeightCount(matrices: hidden, vectors: 0) : experts
    }
}

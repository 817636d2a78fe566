/// Exact parameter counts of a `TransformerModel`, part by part, as Hugging Face
/// `sum(p.numel() for p in model.parameters())` counts them (tied embeddings once).
///
/// Per-part formulas (h = hidden, a = heads, k = kvHeads, d = headDim, f = an MLP width,
/// V = vocab, m = 3 for gated MLPs (SwiGLU/GeGLU, Shazeer 2020) else 2):
/// - attention: Q `h x a d`, K and V `h x k d` each, output `a d x h` (Vaswani et al. 2017;
///   GQA, Ainslie et al. 2023); DeepSeek MLA: `q_a h x r_q`, `q_b r_q x a (d_nope + d_rope)`,
///   `kv_a h x (r_kv + d_rope)`, `kv_b r_kv x a (d_nope + d_v)`, `o a d_v x h` plus the two
///   low-rank norms (DeepSeek-AI 2024, DeepSeek-V2 section 2.1; HF `modeling_deepseek_v3.py`);
/// - MLP: `m h f`; biases `(m - 1) f + h`;
/// - MoE layer: router `h x E` (+ E bias, DeepSeek-V3 `e_score_correction_bias`), E routed experts,
///   shared experts (+ an `h x 1` gate, Qwen2-MoE);
/// - norms: h (RMSNorm) or 2h (LayerNorm with bias) each;
/// - embedding `V x h`, learned positions `(maxSeq + offset) x h`, output layer `V x h` unless tied;
/// - encoder-only (BERT, HF `BertModel`/`BertForMaskedLM`): token types `T x h`, the pooler
///   `h^2 + h`, the masked-LM head `h^2 + h + norm + V` with its decoder tied (Devlin et al. 2019);
/// - encoder-decoder (T5, HF `T5ForConditionalGeneration`): each decoder layer adds a
///   cross-attention block (the shapes of self-attention) and its norm; each stack has its final
///   norm and its relative-position-bias table `buckets x heads`; one embedding shared by both
///   stacks (Raffel et al. 2020).
/// For Megatron GPT models the total is Narayanan et al. 2021, section 5.1:
/// `P = 12 l h^2 (1 + 13/(12h) + (V + s)/(12 l h))` plus the final LayerNorm's 2h.
public struct ParameterCount: Sendable, Hashable, Codable {
    /// Token embedding table `V x h` (OPT-350m: `V x e` plus the `e x h` input projection).
    public var embedding: Int
    /// Learned position table `(maxSeq + positionOffset) x h`, or the relative-position-bias
    /// tables of all stacks (T5: `buckets x heads` each); 0 for rotary/ALiBi/none.
    public var positionEmbedding: Int
    /// Token-type (segment) table `tokenTypes x h` (BERT); 0 for most models.
    public var tokenTypeEmbedding: Int
    /// The norm right after the embedding (BLOOM), else 0.
    public var embeddingNorm: Int
    /// Attention projections, their biases and (MLA) their low-rank norms, per layer.
    public var attentionPerLayer: Int
    /// Norms of one block (`normsPerBlock` of them).
    public var normsPerLayer: Int
    /// The MLP of one dense layer, biases included.
    public var denseMLPPerLayer: Int
    /// One routed expert (an MLP of width `expertFFN`); 0 for dense models.
    public var routedExpert: Int
    /// Routed experts per MoE layer (`experts`) and how many each token uses (`expertsPerToken`).
    public var routedExpertsPerLayer: Int
    public var activeRoutedExpertsPerLayer: Int
    /// Shared experts of one MoE layer, with their gate.
    public var sharedExpertsPerLayer: Int
    /// Router of one MoE layer (`h x E`, plus bias).
    public var routerPerLayer: Int
    public var denseLayers: Int
    public var moeLayers: Int
    /// Cross-attention of one decoder layer (encoder-decoder models), else 0.
    public var crossAttentionPerLayer: Int
    /// Norms of one decoder layer: the block norms plus the cross-attention norm.
    public var decoderNormsPerLayer: Int
    /// Layers of the decoder stack (encoder-decoder models; dense), else 0.
    public var decoderLayers: Int
    /// The final norm of every stack (one per stack; two for an encoder-decoder model).
    public var finalNorm: Int
    /// BERT's pooler (`h x h` + bias), else 0.
    public var pooler: Int
    /// The output (logits) layer `V x h`; 0 when tied to the embedding (plus OPT's output projection).
    public var outputLayer: Int

    /// All attention blocks: self-attention of every layer, cross-attention of decoder layers.
    public var attention: Int {
        Saturating.add(
            Saturating.multiply(attentionPerLayer, denseLayers + moeLayers),
            Saturating.multiply(Saturating.add(attentionPerLayer, crossAttentionPerLayer), decoderLayers))
    }
    /// All dense MLPs (the decoder's layers are dense).
    public var denseMLP: Int { Saturating.multiply(denseMLPPerLayer, Saturating.add(denseLayers, decoderLayers)) }
    /// All routed experts of all MoE layers.
    public var routedExperts: Int { Saturating.multiply(routedExpertsPerLayer, moeLayers) }
    /// All shared experts of all MoE layers.
    public var sharedExperts: Int { Saturating.multiply(sharedExpertsPerLayer, moeLayers) }
    /// All routers.
    public var routers: Int { Saturating.multiply(routerPerLayer, moeLayers) }
    /// Every MLP parameter: dense MLPs, routed and shared experts, routers.
    public var mlp: Int { Saturating.sum(denseMLP, routedExperts, sharedExperts, routers) }
    /// Every norm parameter: block norms, the embedding norm and the final norm.
    public var norms: Int {
        Saturating.sum(Saturating.multiply(normsPerLayer, denseLayers + moeLayers),
                       Saturating.multiply(decoderNormsPerLayer, decoderLayers), embeddingNorm, finalNorm)
    }
    /// One transformer layer of each kind.
    public var perDenseLayer: Int { Saturating.sum(attentionPerLayer, normsPerLayer, denseMLPPerLayer) }
    public var perMoELayer: Int {
        Saturating.sum(attentionPerLayer, normsPerLayer, routedExpertsPerLayer, sharedExpertsPerLayer,
                       routerPerLayer)
    }
    /// One decoder layer: self-attention, cross-attention, their norms and the MLP.
    public var perDecoderLayer: Int {
        Saturating.sum(attentionPerLayer, crossAttentionPerLayer, decoderNormsPerLayer, denseMLPPerLayer)
    }

    /// Every parameter of the model (Hugging Face `num_parameters()`).
    public var total: Int {
        Saturating.sum(embedding, positionEmbedding, tokenTypeEmbedding, attention, mlp, norms, pooler,
                       outputLayer)
    }

    /// Parameters one token uses: all but the routed experts it is not sent to (shared experts and
    /// the top-k routed ones, Fedus et al. 2022; Jiang et al. 2024 count Mixtral-8x7B's 12.9B this
    /// way, embeddings included). Equal to `total` for a dense model.
    public var active: Int {
        let unused = Saturating.multiply(
            max(0, Saturating.subtract(routedExpertsPerLayer, activeRoutedExpertsPerLayer)), moeLayers)
        return total == Int.max ? Int.max : Saturating.subtract(total, unused)
    }

    /// Parameters without the embedding lookup tables (token, position, token type): the N of
    /// Kaplan et al. 2020. DeepSeek-AI quote activated parameters this way (DeepSeek-V3: about 37B).
    public var activeNonEmbedding: Int {
        active == Int.max
            ? Int.max
            : Saturating.subtract(Saturating.subtract(Saturating.subtract(active, embedding), positionEmbedding),
                                  tokenTypeEmbedding)
    }
}

extension TransformerModel {
    /// The exact parameter count with its breakdown.
    public var parameterCount: ParameterCount {
        let moeLayers = moeLayerCount
        let perToken = moe.map { min(max($0.expertsPerToken, 0), max($0.experts, 0)) } ?? 0
        let expert = moe.map { mlpWeights(ffn: $0.expertFFN).total } ?? 0
        return ParameterCount(
            embedding: embeddingWeights.total,
            positionEmbedding: position == .learned
                ? Saturating.multiply(Saturating.add(maxSeq, details.positionOffset), hidden)
                : relativePositionBiasParameters,
            tokenTypeEmbedding: tokenTypeWeights.total,
            embeddingNorm: details.embeddingNorm ? normParameters : 0,
            attentionPerLayer: attentionWeights.total,
            normsPerLayer: Saturating.multiply(details.normsPerBlock, normParameters),
            denseMLPPerLayer: mlpWeights(ffn: ffn).total,
            routedExpert: expert,
            routedExpertsPerLayer: Saturating.multiply(moe?.experts ?? 0, expert),
            activeRoutedExpertsPerLayer: Saturating.multiply(perToken, expert),
            sharedExpertsPerLayer: sharedExpertWeights.total,
            routerPerLayer: routerWeights.total,
            denseLayers: denseLayerCount,
            moeLayers: moeLayers,
            crossAttentionPerLayer: crossAttentionWeights.total,
            decoderNormsPerLayer: Saturating.multiply(Saturating.add(details.normsPerBlock, 1), normParameters),
            decoderLayers: decoderLayerCount,
            finalNorm: details.finalNorm ? Saturating.multiply(stackCount, normParameters) : 0,
            pooler: poolerWeights.total,
            outputLayer: outputWeights.total)
    }

    /// Total parameters (`parameterCount.total`).
    public var totalParameters: Int { parameterCount.total }

    /// Parameters used per token (`parameterCount.active`; equals the total for dense models).
    public var activeParameters: Int { parameterCount.active }
}

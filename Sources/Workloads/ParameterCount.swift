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
/// - embedding `V x h`, learned positions `(maxSeq + offset) x h`, output layer `V x h` unless tied.
/// For Megatron GPT models the total is Narayanan et al. 2021, section 5.1:
/// `P = 12 l h^2 (1 + 13/(12h) + (V + s)/(12 l h))` plus the final LayerNorm's 2h.
public struct ParameterCount: Sendable, Hashable, Codable {
    /// Token embedding table `V x h` (OPT-350m: `V x e` plus the `e x h` input projection).
    public var embedding: Int
    /// Learned position table `(maxSeq + positionOffset) x h`; 0 for rotary/ALiBi/none.
    public var positionEmbedding: Int
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
    /// The norm before the output layer.
    public var finalNorm: Int
    /// The output (logits) layer `V x h`; 0 when tied to the embedding (plus OPT's output projection).
    public var outputLayer: Int

    /// All attention blocks.
    public var attention: Int { Saturating.multiply(attentionPerLayer, denseLayers + moeLayers) }
    /// All dense MLPs.
    public var denseMLP: Int { Saturating.multiply(denseMLPPerLayer, denseLayers) }
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
        Saturating.sum(Saturating.multiply(normsPerLayer, denseLayers + moeLayers), embeddingNorm, finalNorm)
    }
    /// One transformer layer of each kind.
    public var perDenseLayer: Int { Saturating.sum(attentionPerLayer, normsPerLayer, denseMLPPerLayer) }
    public var perMoELayer: Int {
        Saturating.sum(attentionPerLayer, normsPerLayer, routedExpertsPerLayer, sharedExpertsPerLayer,
                       routerPerLayer)
    }

    /// Every parameter of the model (Hugging Face `num_parameters()`).
    public var total: Int {
        Saturating.sum(embedding, positionEmbedding, attention, mlp, norms, outputLayer)
    }

    /// Parameters one token uses: all but the routed experts it is not sent to (shared experts and
    /// the top-k routed ones, Fedus et al. 2022; Jiang et al. 2024 count Mixtral-8x7B's 12.9B this
    /// way, embeddings included). Equal to `total` for a dense model.
    public var active: Int {
        let unused = Saturating.multiply(
            max(0, Saturating.subtract(routedExpertsPerLayer, activeRoutedExpertsPerLayer)), moeLayers)
        return total == Int.max ? Int.max : Saturating.subtract(total, unused)
    }

    /// Parameters without the embedding lookup tables (token and position): the N of Kaplan et al.
    /// 2020. DeepSeek-AI quote activated parameters this way (DeepSeek-V3: about 37B).
    public var activeNonEmbedding: Int {
        active == Int.max
            ? Int.max : Saturating.subtract(Saturating.subtract(active, embedding), positionEmbedding)
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
                ? Saturating.multiply(Saturating.add(maxSeq, details.positionOffset), hidden) : 0,
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
            finalNorm: details.finalNorm ? normParameters : 0,
            outputLayer: outputWeights.total)
    }

    /// Total parameters (`parameterCount.total`).
    public var totalParameters: Int { parameterCount.total }

    /// Parameters used per token (`parameterCount.active`; equals the total for dense models).
    public var activeParameters: Int { parameterCount.active }
}

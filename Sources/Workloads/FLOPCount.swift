/// Training FLOPs per token ("model FLOPs": what the model needs, without recomputation), the
/// numerator of MFU (Chowdhery et al. 2022, PaLM, appendix B).
///
/// A matmul of an `m x k` by a `k x n` matrix costs `2 m n k` FLOPs (a multiply and an add).
/// Per token and per layer the forward pass costs:
/// - `2 x` every weight matrix the token multiplies: Q, K, V, output; the MLP (for MoE: the router,
///   the shared experts and only the top-k routed experts); after the last layer the logits
///   `V x h` (counted whether or not it is tied to the embedding). Embedding and position lookups,
///   biases and norms are not matmuls and are not counted;
/// - attention scores `Q K^T` and `softmax x V`: `2 x seq x heads x d_qk + 2 x seq x heads x d_v`
///   (`4 seq a d` for standard attention; for MLA `d_qk = d_nope + d_rope`, `d_v = v_head_dim`).
/// Backward costs twice the forward (Narayanan et al. 2021, section 5.1), so training = 3 x forward.
///
/// Convention: the attention term is NOT halved for causal masking, as in Megatron's eq. 3 and
/// PaLM's `6N + 12 L H Q T`; pass `causal: true` to halve it (what FlashAttention's causal
/// kernels actually execute). For a Megatron GPT model this gives exactly
/// `72 l h^2 (1 + s/(6h) + V/(12 l h))` per token, which is eq. 3 of Narayanan et al. 2021
/// without its recomputation pass; adding `fullRecomputation` gives eq. 3 itself,
/// `96 l h^2 (1 + s/(6h) + V/(16 l h))` (the logits are never recomputed).
public struct FLOPCount: Sendable, Hashable, Codable {
    /// Sequence length the attention term was counted at.
    public var seq: Int
    /// Whether the attention term was halved for causal masking.
    public var causal: Bool
    /// Forward FLOPs per token of the transformer layers' weight matmuls (all layers).
    public var layerMatmuls: Double
    /// Forward FLOPs per token of attention scores and attention x V (all layers).
    public var attention: Double
    /// Forward FLOPs per token of the output side: the logits (and OPT's projections).
    public var output: Double

    /// Forward FLOPs per token.
    public var forward: Double { layerMatmuls + attention + output }
    /// Backward FLOPs per token: gradients of inputs and of weights, 2 x forward.
    public var backward: Double { 2 * forward }
    /// Training (forward + backward) model FLOPs per token, 3 x forward.
    public var training: Double { 3 * forward }
    /// Extra FLOPs per token of full activation recomputation: one more forward pass of the
    /// transformer layers (not of the logits), as in Megatron's eq. 3. Hardware FLOPs (HFU,
    /// PaLM appendix B) = `training + fullRecomputation` under full recompute.
    public var fullRecomputation: Double { layerMatmuls + attention }
}

extension TransformerModel {
    /// FLOPs per token at sequence length `seq` (default `maxSeq`); see `FLOPCount`.
    /// A negative `seq` counts as 0 (the CLI rejects it before it gets here).
    public func flops(seq: Int? = nil, causal: Bool = false) -> FLOPCount {
        let length = Double(max(0, seq ?? maxSeq))
        let perLayerAttention = 2 * length * Double(heads)
            * (Double(queryKeyHeadDim) + Double(valueHeadDim)) * (causal ? 0.5 : 1)
        return FLOPCount(
            seq: max(0, seq ?? maxSeq),
            causal: causal,
            layerMatmuls: 2 * layerMatmulWeightsPerToken,
            attention: Double(max(0, layers)) * perLayerAttention,
            output: 2 * Double(outputMatmulWeights))
    }

    /// Training model FLOPs per token (forward + backward, no recomputation): `flops(...).training`.
    public func trainingFLOPsPerToken(seq: Int? = nil, causal: Bool = false) -> Double {
        flops(seq: seq, causal: causal).training
    }

    /// Weight-matrix entries of the transformer layers that one token multiplies, summed over the
    /// layers, as a Double (it can exceed `Int` only for absurd models, which `validate()` rejects).
    var layerMatmulWeightsPerToken: Double {
        let attentionWeights = Double(attentionWeights.matrices)
        let dense = Double(mlpWeights(ffn: ffn).matrices)
        var perMoELayer = 0.0
        if let moe {
            let active = Double(min(max(moe.expertsPerToken, 0), max(moe.experts, 0)))
            perMoELayer = Double(routerWeights.matrices) + Double(sharedExpertWeights.matrices)
                + active * Double(mlpWeights(ffn: moe.expertFFN).matrices)
        }
        return Double(max(0, layers)) * attentionWeights + Double(denseLayerCount) * dense
            + Double(moeLayerCount) * perMoELayer
    }
}

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
/// A layer with sliding-window attention (`attentionWindow`, GPT-OSS) counts the keys of its band
/// instead of `seq` (`attendedKeysPerQuery`).
/// Backward costs twice the forward (Narayanan et al. 2021, section 5.1), so training = 3 x forward.
///
/// Convention: the attention term is NOT halved for causal masking, as in Megatron's eq. 3 and
/// PaLM's `6N + 12 L H Q T`; pass `causal: true` to halve it (what FlashAttention's causal
/// kernels actually execute). For a Megatron GPT model this gives exactly
/// `72 l h^2 (1 + s/(6h) + V/(12 l h))` per token, which is eq. 3 of Narayanan et al. 2021
/// without its recomputation pass; adding `fullRecomputation` gives eq. 3 itself,
/// `96 l h^2 (1 + s/(6h) + V/(16 l h))` (the logits are never recomputed).
///
/// Encoder-only models (BERT) are one bidirectional stack: the same terms, the attention never
/// halved (no mask to skip), the output side being the head they have (`OutputHead`: the masked-LM
/// head's `h x h` transform and `V x h` logits at every position, or nothing for a bare encoder;
/// BERT's pooler acts on one token per sequence and is left out).
///
/// Encoder-decoder models (T5) are counted per (input + target) token, for an input of `seq`
/// tokens and a target of `targetSeq` tokens (default: `seq`): the FLOPs of one example divided
/// by `seq + targetSeq`. The encoder's layers run over the input tokens, with bidirectional
/// attention over `seq`; each decoder layer projects K and V of its cross-attention from the
/// encoder output (input tokens); the rest of the decoder (self-attention, cross-attention Q and
/// output, MLP) and the logits run over the target tokens, with self-attention over `targetSeq`
/// (halved with `causal`) and cross-attention over `seq`. This is the accounting of Raffel et al.
/// 2020 (T5), section 3.2.2: an encoder-decoder of L + L layers costs about what an L-layer
/// decoder-only model costs on the same (input + target) tokens, so about 6 N / 2 per token with
/// equal lengths, not 6 N. (Hugging Face `Trainer.floating_point_ops` instead counts 6 N per input
/// token and ignores the target.)
public struct FLOPCount: Sendable, Hashable, Codable {
    /// Sequence length the attention term was counted at (the input length, for an
    /// encoder-decoder model).
    public var seq: Int
    /// Target (decoder) length of an encoder-decoder model; 0 for other models.
    public var targetSeq: Int
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
    /// FLOPs per token at sequence length `seq` (default `maxSeq`); see `FLOPCount`. `targetSeq`
    /// is the decoder length of an encoder-decoder model (default `seq`; ignored otherwise);
    /// `causal` halves causal self-attention only (never a bidirectional encoder's).
    /// A negative length counts as 0 (the CLI rejects it before it gets here).
    public func flops(seq: Int? = nil, targetSeq: Int? = nil, causal: Bool = false) -> FLOPCount {
        let input = max(0, seq ?? maxSeq)
        let length = Double(input)
        // 2 x seq x heads x (d_qk + d_v): scores and attention x V of one token over `seq` keys.
        let perKey = 2 * Double(heads) * (Double(queryKeyHeadDim) + Double(valueHeadDim))
        let selfHalving = causal && attention == .causal ? 0.5 : 1
        guard isEncoderDecoder else {
            return FLOPCount(
                seq: input, targetSeq: 0, causal: causal,
                layerMatmuls: 2 * layerMatmulWeightsPerToken,
                attention: perKey * attendedKeysPerQuery(seq: input, halving: selfHalving),
                output: 2 * Double(outputMatmulWeights))
        }
        let target = max(0, targetSeq ?? input)
        let targetLength = Double(target)
        let tokens = length + targetLength
        guard tokens > 0 else {
            return FLOPCount(seq: input, targetSeq: target, causal: causal, layerMatmuls: 0, attention: 0, output: 0)
        }
        let decoderLayers = Double(decoderLayerCount)
        let crossKeyValue = Double(crossAttentionKeyValueMatrices)
        // Per input token: the encoder layers, and every decoder layer's cross-attention K and V.
        let inputMatmuls = layerMatmulWeightsPerToken + decoderLayers * crossKeyValue
        // Per target token: self-attention, cross-attention Q and output, MLP of every decoder layer.
        let targetMatmuls = decoderLayers * (2 * Double(attentionWeights.matrices) - crossKeyValue
            + Double(mlpWeights(ffn: ffn).matrices))
        let encoderAttention = Double(max(0, layers)) * perKey * length   // bidirectional, never halved
        let decoderAttention = decoderLayers * perKey * (targetLength * (causal ? 0.5 : 1) + length)
        return FLOPCount(
            seq: input, targetSeq: target, causal: causal,
            layerMatmuls: 2 * (length * inputMatmuls + targetLength * targetMatmuls) / tokens,
            attention: (length * encoderAttention + targetLength * decoderAttention) / tokens,
            output: 2 * Double(outputMatmulWeights) * targetLength / tokens)
    }

    /// Keys one query attends to, summed over the layers of a decoder-only or encoder-only stack:
    /// `seq x halving` for a full-attention layer; for a layer with an `attentionWindow` of w keys
    /// the band it computes: `min(seq, w)` keys unmasked, and causally (halving 1/2) the mean over
    /// the queries of `min(i, w)`, `seq / 2` when seq <= w, else `w - w^2 / (2 seq)` (the first w
    /// queries see a triangle, the rest w keys; FlashAttention's `window_size=(w - 1, 0)`, Dao 2023).
    func attendedKeysPerQuery(seq: Int, halving: Double) -> Double {
        let length = Double(seq)
        let all = Double(max(0, layers))
        guard let window = attentionWindow else { return all * length * halving }
        let windowed = Double(min(max(0, window.layers), max(0, layers)))
        let w = Double(max(0, window.size))
        let band: Double
        if halving == 1 {
            band = min(length, w)
        } else {
            band = length <= w ? length * halving : w - w * w / (2 * length)
        }
        return (all - windowed) * length * halving + windowed * band
    }

    /// Training model FLOPs per token (forward + backward, no recomputation): `flops(...).training`.
    public func trainingFLOPsPerToken(seq: Int? = nil, targetSeq: Int? = nil, causal: Bool = false) -> Double {
        flops(seq: seq, targetSeq: targetSeq, causal: causal).training
    }

    /// Weight-matrix entries of the transformer layers that one token multiplies, summed over the
    /// layers (of the encoder, for an encoder-decoder model), as a Double (it can exceed `Int` only for absurd models, which `validate()` rejects).
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

/// Activation bytes of the decoder layers of an encoder-decoder model on one GPU: the stored
/// tensors of `ActivationMemory` for a causal layer over the b x T target tokens, plus per
/// layer those of its cross-attention block (Korthikanti et al. 2022, section 4.1, applied to
/// the block's own shapes):
/// - over the target tokens: the norm input (2h), the Q projection's input (2h), Q (2 a d), the
///   output projection's input (2 a d_v) and the residual dropout mask (h);
/// - over the input tokens: K and V (2 x 2 k d); the encoder output they are projected from is
///   one tensor shared by every decoder layer, kept once per micro-batch (2h per input token);
/// - the core: softmax output, dropout mask and output, (2 + 1 + 2) a T S bytes, or the softmax
///   statistics (4 a T) with flash attention or selective recomputation.
/// Under full recomputation a decoder layer keeps its input (2h per target token).
public enum DecoderActivationMemory {
    public static func bytes(decoderLayers: Int, geometry g: LayerGeometry, layout: ParallelLayout,
                             recipe: TrainingRecipe, layerMicroBatches: Double) -> Double {
        guard decoderLayers > 0 else { return 0 }
        let t = Double(layout.tp)
        let a = recipe.precision.activationBytes
        let mask = CostModelConstants.dropoutMaskBytes
        let b = Double(layout.microBatch)
        let targetTokens = b * Double(layout.decoderSeq)
        let inputTokens = b * Double(layout.seq)
        var target = layout
        target.seq = layout.decoderSeq
        var causal = g
        causal.stacks.mask = .causal
        let selfLayer = ActivationMemory.bytesPerTokenPerLayer(geometry: causal, moe: false, layout: target,
                                                                recipe: recipe, keyLength: Double(layout.decoderSeq))
        let replicated = (2 * a * g.hidden + 2 * a * g.hidden + mask * g.hidden) / (layout.sequenceParallel ? t : 1)
        let split = a * (g.queryWidth + g.heads * g.vHeadDim) / t
        let core = recipe.recompute == .selective || recipe.effectiveFlashAttention
            ? 4 * g.heads / t : (a + mask + a) * g.heads * Double(layout.seq) / t
        let crossPerTargetToken = replicated + split + core
        let crossPerInputToken = a * (g.keyWidth + g.valueWidth) / t
        let layers = Double(decoderLayers)
        let encoderOutput = inputTokens * a * g.hidden * layerMicroBatches
        if recipe.recompute == .full {
            let stored = ActivationMemory.fullRecomputeBytesPerTokenPerLayer(geometry: g, layout: layout, recipe: recipe)
            let live = targetTokens * (selfLayer + crossPerTargetToken) + inputTokens * crossPerInputToken
            return targetTokens * layerMicroBatches * layers * stored + live + encoderOutput
        }
        return layerMicroBatches * layers * (targetTokens * (selfLayer + crossPerTargetToken)
            + inputTokens * crossPerInputToken) + encoderOutput
    }
}

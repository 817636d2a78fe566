import Hardware
import Workloads

/// Time of the attention core, `Q K^T` and `softmax x V`, for `batch` (micro-batch x heads per
/// GPU) independent problems of `queries` x `keys`: the fused flash-attention kernel, or the
/// unfused batched GEMMs with the materialised scores' softmax and dropout. Shared by
/// self-attention (`LayerTimeModel`) and the cross-attention of encoder-decoder models
/// (`CrossAttentionTime`).
public struct AttentionCoreTime: Sendable, Hashable {
    public var forward: Double
    public var backward: Double
    /// Model FLOPs of the forward (scores and attention x V, never halved: Megatron's eq. 3).
    public var flops: Double

    /// One convention for every mask (causal self-attention, a bidirectional encoder's, a
    /// cross-attention's): the full queries x keys score and value FLOPs at the kernel's rate
    /// (ARCHITECTURE.md, "MFU"; `LayerTimeModel`), so an encoder's attention is never halved.
    init(forward: Double, backward: Double, flops: Double) {
        self.forward = forward
        self.backward = backward
        self.flops = flops
    }

    /// `kernelKeys`: the keys each kernel call loops over (`keys`, or a context-parallel rank's
    /// chunk of them per ring step), which with the `mask` sets the fused kernel's rate
    /// (`FlashAttentionKeyLength`); cross-attention is unmasked. `band`: the keys are a sliding
    /// window over a longer sequence, whose query tiles each meet the window's key tiles and the
    /// diagonal one, not a short document's few blocks: the loop takes the shortest measured
    /// point's rate, not the tile count below it (`SlidingWindowAttention` floors it at the
    /// measured band rate where the part states one).
    public init(queries: Double, keys: Double, batch: Double, qkHeadDim: Double, vHeadDim: Double,
                recipe: TrainingRecipe, accelerator acc: Accelerator, kernelKeys: Double? = nil,
                mask: AttentionMask = .causal, band: Bool = false) {
        flops = 2 * batch * queries * keys * (qkHeadDim + vHeadDim)
        if recipe.effectiveFlashAttention {
            let efficiency = recipe.framework.profile.attentionKernel == .flashAttention2
                ? (acc.flashAttention2Efficiency ?? acc.attentionEfficiency) : acc.attentionEfficiency
            let rate = acc.peak16BitTFLOPS * 1e12 * efficiency
            // The attention efficiencies in the topology files are the kernels' quoted (long-key)
            // rates for this full work; end-to-end causal runs time like it (see `LayerTimeModel`).
            // Short key loops run below it, the backward's otherwise than the forward's.
            let reached = FlashAttentionKeyLength.fractions(keys: kernelKeys ?? keys, mask: mask,
                                                            curve: acc.attentionKeyCurve ?? .hopper, band: band)
            forward = flops / (rate * reached.forward)
            // FlashAttention's backward recomputes the scores: 2.5x the forward FLOPs (Dao 2023).
            backward = 2.5 * flops / (rate * reached.backward)
        } else {
            let gemms = MatmulTime.seconds(m: queries, n: keys, k: qkHeadDim, batch: batch, accelerator: acc)
                + MatmulTime.seconds(m: queries, n: vHeadDim, k: keys, batch: batch, accelerator: acc)
            // Fused scale-mask-softmax (read 2, write 2 bytes) and dropout (read 2, write 2, mask 1)
            // over the batch x queries x keys scores.
            let softmaxBytes = 9 * batch * queries * keys
            let softmax = MatmulTime.memoryBoundSeconds(bytes: softmaxBytes, accelerator: acc)
            forward = gemms + softmax
            backward = 2 * gemms + CostModelConstants.backwardElementwiseByteFactor * softmax
        }
    }
}

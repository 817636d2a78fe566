import Hardware

/// The attention core of the mean layer of a model with sliding-window attention on some of its
/// layers (GPT-OSS: a band of 128 keys on every other layer, OpenAI 2025, gpt-oss model card,
/// section 2.1). The cost model times one representative layer and multiplies it by the layer
/// count, so a model whose share f of the layers is windowed gets the mean core
/// `(1 - f) core(keys) + f core(min(keys, w))`.
///
/// A windowed layer costs fewer keys only when the kernel skips the blocks outside the band: the
/// flash-attention kernels do (FlashAttention-2's `window_size`, which Hugging Face's
/// `_flash_attention_forward` passes `sliding_window` to; Dao 2023; flex attention's block mask
/// likewise). Unfused (eager) attention computes the full score matrix and masks it (HF
/// `eager_attention_forward` adds the sliding-window mask to `Q K^T`), so its time does not
/// change. The cost model's convention is the unmasked count (`AttentionCoreTime`): a windowed
/// layer's queries each see `min(keys, w)` keys, as packed documents see `min(keys, document)`.
///
/// A narrow band does not run at the full kernel's rate: cuDNN's SDPA with a 128-key window
/// (cuDNN-frontend `benchmark/sdpa_benchmark_training/results/gpt_oss/gb200/gpt_oss_20260424_100011.csv`,
/// cuDNN 9.22, BF16, 4096 tokens, 2 x 128 heads of 64) takes 0.210 ms forward and 0.465 ms
/// backward, 161 and 182 TFLOP/s of its band's work, where the full causal kernel of the same
/// work reaches 1,408 and 1,148 (`llama3.1_20260424_100750.csv`): each 128-row query tile meets
/// only two key tiles, so the per-tile work that the band does not shrink (loading Q, writing O and
/// the softmax statistics, filling the pipeline) dominates. Where the accelerator states that
/// rate (`Accelerator.bandedAttentionEfficiency`, for the fused kernel the framework's profile
/// runs, not FlashAttention-2), a band costs at least a `bandedAttentionMeasuredWindow`-key band
/// at it, per query: forward F, backward 2.5 F as for every fused core.
///
/// Under FP8 attention (`TrainingRecipe.fp8Attention`) the band's backward is the full causal
/// core's: in the same benchmark the FP8 and MXFP8 backward of the 128-key band take 0.536/0.642,
/// 1.731/2.080, 6.176/7.427, 23.23/27.94 and 90.35/108.4 ms at 2k to 32k tokens, growing with the
/// square of the sequence (x3.2 to x3.9 per doubling) as a causal core does, where the BF16
/// band's backward grows linearly (0.237 to 3.692 ms); its forward skips the band as BF16 does.
extension AttentionCoreTime {
    static func layerMean(queries: Double, keys: Double, geometry g: LayerGeometry, batch: Double,
                          recipe: TrainingRecipe, accelerator: Accelerator,
                          kernelKeys: Double? = nil) -> AttentionCoreTime {
        let full = AttentionCoreTime(queries: queries, keys: keys, batch: batch, qkHeadDim: g.qkHeadDim,
                                     vHeadDim: g.vHeadDim, recipe: recipe, accelerator: accelerator,
                                     kernelKeys: kernelKeys, mask: g.stacks.mask)
        let f = g.windowedLayerFraction
        guard f > 0, g.attentionWindow > 0, g.attentionWindow < keys, recipe.effectiveFlashAttention else {
            return full
        }
        var banded = AttentionCoreTime(queries: queries, keys: g.attentionWindow, batch: batch,
                                       qkHeadDim: g.qkHeadDim, vHeadDim: g.vHeadDim, recipe: recipe,
                                       accelerator: accelerator, band: true)
        if let floor = bandFloorForward(queries: queries, batch: batch, geometry: g, recipe: recipe, accelerator: accelerator) {
            banded.forward = max(banded.forward, floor)
            banded.backward = max(banded.backward, 2.5 * floor)
        }
        if recipe.fp8Attention == true {
            banded.backward = full.backward
        }
        return AttentionCoreTime(forward: (1 - f) * full.forward + f * banded.forward,
                                 backward: (1 - f) * full.backward + f * banded.backward,
                                 flops: (1 - f) * full.flops + f * banded.flops)
    }

    /// Forward seconds of a `bandedAttentionMeasuredWindow`-key band over `queries` x `batch` at
    /// the accelerator's measured band rate; nil when it states none or the framework runs
    /// FlashAttention-2.
    static func bandFloorForward(queries: Double, batch: Double, geometry g: LayerGeometry, recipe: TrainingRecipe,
                                 accelerator: Accelerator) -> Double? {
        guard let efficiency = accelerator.bandedAttentionEfficiency,
              recipe.framework.profile.attentionKernel != .flashAttention2 else { return nil }
        let flops = 2 * batch * queries * CostModelConstants.bandedAttentionMeasuredWindow * (g.qkHeadDim + g.vHeadDim)
        return flops / (accelerator.peak16BitTFLOPS * 1e12 * efficiency)
    }
}

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
        let banded = AttentionCoreTime(queries: queries, keys: g.attentionWindow, batch: batch,
                                       qkHeadDim: g.qkHeadDim, vHeadDim: g.vHeadDim, recipe: recipe,
                                       accelerator: accelerator)
        return AttentionCoreTime(forward: (1 - f) * full.forward + f * banded.forward,
                                 backward: (1 - f) * full.backward + f * banded.backward,
                                 flops: (1 - f) * full.flops + f * banded.flops)
    }
}

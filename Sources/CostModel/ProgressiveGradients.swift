/// When PyTorch's own gradients are not alive beside the forward's activations. A model trained
/// on one GPU by a PyTorch loop without a persistent gradient buffer (torchtune's single-device
/// recipes, Hugging Face's `Trainer`; not DeepSpeed's or Megatron's contiguous buffers, not DDP's
/// buckets) starts each step with no gradients: the optimizer's `zero_grad(set_to_none=True)`
/// (PyTorch's default since 2.0) freed them, and autograd allocates each parameter's `.grad` when
/// its layer's backward runs, while that layer's saved activations are freed. With one
/// micro-batch a step (no accumulation keeping the last one's gradients) the allocated peak is the
/// larger of the backward's start (every activation and the loss, no gradient yet) and its end
/// (every gradient, and the first layer's working set), not their sum; both terms move in step
/// through the backward, so no point between them is higher. A step applied inside the backward
/// (`TrainingRecipe.optimizerInBackward`) frees each gradient at once and is counted as such
/// already.
public enum ProgressiveGradients {
    /// Whether the layout and recipe allocate gradients during the backward only: a framework
    /// whose gradients are the parameters' own (`FrameworkProfile.allocatesGradientsDuringBackward`)
    /// on one GPU, one micro-batch a step, the step after the backward, nothing offloaded.
    public static func apply(layout: ParallelLayout, recipe: TrainingRecipe) -> Bool {
        recipe.framework.profile.allocatesGradientsDuringBackward && layout.gpus == 1 && layout.microBatchesPerReplica == 1
            && !recipe.optimizerInBackward && recipe.offload == .none
    }

    /// The allocated peak: max(start, end) where the backward starts with `activations` (less the
    /// bytes only the reserve holds, `reservedOnly`) and ends with `gradients` beside
    /// `endActivations`; weights and optimizer states are alive throughout.
    public static func allocatedPeak(statesWithoutGradients: Double, gradients: Double, activations: Double,
                                     reservedOnly: Double, endActivations: Double) -> Double {
        let start = statesWithoutGradients + activations - reservedOnly
        let end = statesWithoutGradients + gradients + min(endActivations, activations - reservedOnly)
        return max(start, end)
    }
}

/// Context parallelism's gathered keys and values: torchtitan @9dec370 sets PyTorch's ring
/// attention to `--experimental.context_parallel_rotate_method = "allgather"` (config_manager.py:365-367,
/// utils.py:187 `set_rotate_method`), whose `_AllGatherRotater.exchange_buffers` all-gathers
/// `torch.cat([key.flatten(), value.flatten()])` from every CP rank once per attention call
/// (torch/distributed/tensor/experimental/_attention.py) and serves each ring step a chunk of
/// it: cp x the local keys and values live while the layer's attention runs (forward, and
/// again in the backward). torchtitan repeats the K/V heads to every query head before SDPA
/// (model.py:200-201, `repeat_kv`), so the keys are as wide as the queries: (q + v) / t
/// elements per local token. Counted with the live layer (`FrameworkProfile.gathersContextParallelKeyValues`).
public enum RingAttentionBuffers {
    /// Bytes of the gathered keys and values on one GPU; zero without context parallelism.
    public static func gatheredKeyValueBytes(geometry g: LayerGeometry, layout: ParallelLayout, recipe: TrainingRecipe) -> Double {
        guard layout.cp > 1, recipe.framework.profile.gathersContextParallelKeyValues else { return 0 }
        let localTokens = Double(layout.microBatch) * Double(layout.seq) / Double(layout.cp)
        let width = (g.heads * g.qkHeadDim + g.heads * g.vHeadDim) / Double(layout.tp)
        return Double(layout.cp) * localTokens * recipe.precision.activationBytes * width
    }
}

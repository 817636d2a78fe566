/// What FSDP holds gathered on one GPU at the step's activation peak, the start of the backward
/// pass, beyond its shards (`FrameworkProfile.shardsByTransformerBlock`; Zhao et al. 2023,
/// PyTorch FSDP, sections 3.2-3.3; torchtitan `parallelize_llama`: `fully_shard` on every
/// transformer block, then `fully_shard(model)` as the root unit):
/// - the root unit (token embedding, final norm and output layer) in the compute dtype: the
///   root's pre-backward hook gathers it for the output layer's backward and its post-backward
///   hook, which reshards it and reduce-scatters its gradients, runs only after the last
///   block's backward, so it stays gathered through the whole backward, with the output
///   layer's unsharded gradient (compute dtype) computed first;
/// - two transformer blocks in the compute dtype: the one being differentiated and the one
///   prefetched (FSDP's backward prefetch of the next unit);
/// - one block's unsharded gradient in the reduction dtype, cast for its reduce-scatter.
/// Only under full sharding (ZeRO 3) without CPU offload (whose live weights
/// `ParameterAccounting+Recipe` caps), and not where the framework keeps a pipeline stage
/// gathered (`keepsGatheredWeightsUnderPipeline`, counted whole by `PipelineStageResidency` instead).
public enum FSDPUnitMemory {
    /// Units whose unsharded gradients FSDP2 holds at once under CPU offload (counted by
    /// `ParameterAccounting+Recipe` beside the offloaded states): the unit being differentiated
    /// (its gradients in the parameters' dtype, then copied into its reduce-scatter input and
    /// freed) and the previous unit's reduce-scatter input, which `FSDPParamGroup.post_backward`
    /// keeps as `comm_ctx.reduce_scatter_state` until the next unit's post-backward waits on its
    /// event and drops it (torch `_fsdp_param_group.py`, under `distributed/_composable/fsdp/` in
    /// the releases torchtune 0031bfb0 imports from, `distributed/fsdp/_fully_shard/` later; U: the
    /// torch release torchtune's table ran is unstated, assumed to hold the state this way). The
    /// sharded gradient the reduce-scatter outputs goes to host memory right after (`foreach_reduce`:
    /// `new_sharded_grad.to(torch.device("cpu"), non_blocking=...)`), one shard, not counted.
    public static let heldGradientUnits: Double = 2

    /// (weights, gradients) bytes beyond the shards; zero where FSDP's units do not apply.
    public static func bytes(params: StageParameters, accounting: ParameterAccounting, layout: ParallelLayout,
                             recipe: TrainingRecipe) -> (weights: Double, gradients: Double) {
        let profile = recipe.framework.profile
        guard profile.shardsByTransformerBlock, layout.zero >= 3, recipe.offload == .none,
              !(layout.pp > 1 && profile.keepsGatheredWeightsUnderPipeline) else { return (0, 0) }
        let compute = accounting.dense.weightBytesPerParameter
        let root = params.embedding * accounting.embedding.weightBytesPerParameter
        let weights = root + 2 * params.largestLayer * compute
        var gradients = 0.0
        if accounting.embedding.trainable { gradients += params.outputLayer * recipe.precision.gradientBytes }
        if accounting.dense.trainable { gradients += params.largestLayer * accounting.dense.gradientReduceBytesPerParameter }
        return (weights, gradients)
    }
}

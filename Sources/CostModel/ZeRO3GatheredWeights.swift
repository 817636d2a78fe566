/// Weights a ZeRO-3 / FSDP rank holds gathered whole beside its own shard while it computes, when
/// the weights are not offloaded (under `--offload all` `HostStateMemory.liveWeightCap` bounds the
/// whole weight memory instead):
/// - FSDP (PyTorch FSDP, Zhao et al. 2023, section 3.3): the unit being computed and
///   the one prefetched (backward prefetch, the forward's next unit), each unsharded: two of the
///   largest unit (a transformer layer or the embedding table) in the weights' dtype, less the
///   shard of them the rank already holds: 2 x unit x bytes x (1 - 1/shards);
/// - DeepSpeed: its prefetcher keeps up to `stage3_max_live_parameters` gathered, overshot by
///   the largest parameter (`DeepSpeedZeRO3Buffers.liveParameters`), less their shard:
///   min(P, 1e9 + largest) x bytes x (1 - 1/shards).
/// torchtitan's units, its root unit included, are `FSDPUnitMemory`'s. Other frameworks
/// (Megatron's ZeRO-1/2 distributed optimizer, MaxText's XLA-scheduled gathers) are not
/// described here.
public enum ZeRO3GatheredWeights {
    public static func bytes(framework: Framework, zero: Int, stageParameters: Double, largestUnit: Double,
                             largestTensor: Double, weightBytes: Double, shards: Double) -> Double {
        guard zero >= 3, shards > 1 else { return 0 }
        let unsharded = 1 - 1 / shards
        switch framework {
        case .fsdp:
            return 2 * largestUnit * weightBytes * unsharded
        case .deepspeed, .megatronDeepSpeed:
            return DeepSpeedZeRO3Buffers.liveParameters(stageParameters: stageParameters, largestTensor: largestTensor)
                * weightBytes * unsharded
        default:
            return 0
        }
    }
}

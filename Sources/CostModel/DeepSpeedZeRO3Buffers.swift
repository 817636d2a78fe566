/// GPU buffers of DeepSpeed's ZeRO stage 3 beyond the parameters it gathers (DeepSpeed v0.8.1,
/// the version Hugging Face PEFT's ZeRO-3 offload examples require; `runtime/zero/stage3.py` and
/// `runtime/zero/partition_parameters.py`):
/// - the contiguous gradient bucket: `DeepSpeedZeroOptimizer_Stage3.__init__` allocates
///   `__ipg_bucket_flat_buffer = torch.empty(reduce_bucket_size, dtype=self.dtype)` on the GPU
///   whenever `contiguous_gradients` is on (its default), in the trainable parameters' dtype,
///   whatever the number of trainable parameters: `reduce_bucket_size` (default 5e8,
///   `CostModelConstants.deepSpeedReduceBucketElements`) x the weight bytes. Hugging Face
///   accelerate sets it to hidden^2 only where a DeepSpeed config file says `"auto"`; a run
///   configured by `accelerate config` alone (PEFT's examples) gets DeepSpeed's default. PEFT's
///   README log of its T0-3B ZeRO-3 offload run shows it: 1,916 MiB allocated before the first
///   step, of which 5e8 x 4 bytes (fp32) = 1,907 MiB;
/// - the gathered parameters (`runtime/zero/partitioned_param_coordinator.py`): every module's
///   fetch prefetches the next parameters of the recorded trace while fewer than
///   `stage3_max_live_parameters` (`CostModelConstants.offloadMaxLiveParameters`, 1e9) are
///   available, skipping over those already gathered, so the prefetcher runs ahead until that
///   many are live; it admits a parameter whenever any room is left, so the largest one (the
///   word embedding or output layer, prefetched at the end of the forward) overshoots the limit
///   by its own size: max_live + the largest parameter. A replay of the coordinator's rules over
///   the module traces of BLOOM-7B1, mT0-XXL and T0-3B (`scripts/deepspeed-zero3-replay.py`)
///   peaks at 3.01e9, 3.05e9 and 1.06e9 gathered parameters with the staging copy below, against
///   1e9 + 2 x the largest = 3.06e9, 3.05e9 and 1.07e9 (PEFT's README table: 18.1, 22, 9.8 GB);
/// - the staging copy of an offloaded parameter: `all_gather_coalesced` first copies the
///   parameter's host partition to the GPU (`param.ds_tensor.to(device)`), then gathers into the
///   full-size buffer; the copy lives until the gather completes, so the largest parameter in
///   flight costs its partition once more: largest tensor / shards x weight bytes.
public enum DeepSpeedZeRO3Buffers {
    /// Bytes of the gradient bucket for parameters of `weightBytes` each (0 without trainable
    /// parameters, or outside DeepSpeed ZeRO-3).
    public static func gradientBucketBytes(framework: Framework, zero: Int, anyTrainable: Bool,
                                           weightBytes: Double) -> Double {
        guard framework == .deepspeed, zero >= 3, anyTrainable else { return 0 }
        return CostModelConstants.deepSpeedReduceBucketElements * weightBytes
    }

    /// Parameters gathered on the GPU at most, of a stage of `stageParameters` whose largest
    /// tensor has `largestTensor` parameters: min(P, max_live + largest).
    public static func liveParameters(stageParameters: Double, largestTensor: Double) -> Double {
        min(stageParameters, CostModelConstants.offloadMaxLiveParameters + largestTensor)
    }

    /// Bytes of the host-to-GPU staging copy of the largest offloaded parameter while it is gathered.
    public static func gatherStagingBytes(largestTensor: Double, shards: Double, weightBytes: Double) -> Double {
        largestTensor / max(shards, 1) * weightBytes
    }
}

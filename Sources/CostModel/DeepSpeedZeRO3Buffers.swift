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

    /// Bytes of the host-to-GPU staging copy of the largest offloaded parameter while it is gathered.
    public static func gatherStagingBytes(largestTensor: Double, shards: Double, weightBytes: Double) -> Double {
        largestTensor / max(shards, 1) * weightBytes
    }
}

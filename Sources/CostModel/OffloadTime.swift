import Hardware
import Workloads

/// Time of CPU offload (`--offload`), over the accelerator's host link (topology
/// `node.host_link_gbps`, PCIe per direction) and the host's memory:
/// - `optimizer` (ZeRO-Offload, Ren et al. 2021, section 4.1): each gradient goes to the host
///   while the backward runs (overlapped, as ZeRO-Offload schedules it); after the backward the
///   CPU runs the optimizer step (`cpuStepBytesPerParameter` over
///   `cpuOptimizerBandwidthBytesPerSecond`) and the updated 16-bit weights come back: both
///   exposed, per step;
/// - `all` (ZeRO-3 offload, FSDP CPU offload): also every pass streams the stage's 16-bit
///   weights from the host (forward, backward, and the recomputed forward under full
///   recomputation), prefetched behind that pass's compute: the part longer than it is exposed.
public enum OffloadTime {
    /// Host-link bandwidth per direction, bytes/s (0 when the topology states none; the CLI
    /// rejects offload without it).
    static func linkBytesPerSecond(_ cluster: ClusterTopology) -> Double {
        (cluster.node.hostLinkGBps ?? 0) * 1e9
    }

    /// The per-step offloaded optimizer: CPU step plus the updated weights' copy back. The host's
    /// memory bandwidth is shared by the `ranksPerHost` GPUs whose optimizer steps it runs at once.
    public static func optimizerSeconds(updatedParameters: Double, ranksPerHost: Int, recipe: TrainingRecipe,
                                        cluster: ClusterTopology) -> Double {
        let cpu = updatedParameters * Double(max(ranksPerHost, 1)) * cpuStepBytesPerParameter(recipe)
            / CostModelConstants.cpuOptimizerBandwidthBytesPerSecond
        let link = linkBytesPerSecond(cluster)
        let copyBack = link > 0 ? updatedParameters * recipe.precision.weightBytes / link : 0
        return cpu + copyBack
    }

    /// Seconds a step spends migrating a paged optimizer's states between host and GPU memory.
    /// bitsandbytes' paged optimizers (Dettmers et al. 2023, QLoRA, section 3: "Paged
    /// Optimizers") allocate the states of every tensor of 1e5 elements or more in CUDA unified
    /// memory (`get_state_buffer` -> `F.get_paged`, `cudaMallocManaged`) and prefetch each
    /// parameter's states to the GPU before its update (`Optimizer8bit.prefetch_state` ->
    /// `F.prefetch_tensor`, `cudaMemPrefetchAsync`). Only the device memory PyTorch's allocator
    /// has not reserved at the stage's peak (`MemoryBreakdown.total`, which holds the runtime's
    /// share) can hold them. When they do not fit, the driver evicts 2 MB root chunks in
    /// least-recently-used order (NVIDIA open-gpu-kernel-modules `nvidia-uvm/uvm_pmm_gpu.h`:
    /// `root_chunks.va_block_used`, the LRU list eviction takes from), and a step's pass over the
    /// states in the same order every step is the access pattern LRU cannot keep any of (Yu et al.
    /// 2020, "Coordinated page prefetch and eviction for memory oversubscription management in
    /// GPUs": LRU's inefficiency on thrashing patterns): every state comes in each step and is
    /// evicted before its next use, the two directions of the host link at once:
    /// states / per-direction bandwidth. 0 when they fit.
    public static func pagedStateMigrationSeconds(memory: MemoryBreakdown, capacity: Double,
                                                  cluster: ClusterTopology) -> Double {
        let link = linkBytesPerSecond(cluster)
        guard link > 0, pagedStatesMigrate(memory: memory, capacity: capacity) else { return 0 }
        return memory.pagedStates / link
    }

    /// Whether a paged optimizer's states exceed the device memory the allocator has not reserved
    /// at the stage's peak, so that all of them migrate each step.
    public static func pagedStatesMigrate(memory: MemoryBreakdown, capacity: Double) -> Bool {
        memory.pagedStates > max(capacity - memory.total, 0)
    }

    /// Bytes the CPU optimizer step moves per parameter in host memory: read and write the
    /// parameter it updates (the fp32 master in mixed precision, else the weight itself) and the
    /// moments, read the gradient (upcast to fp32 in mixed precision), and in mixed precision write
    /// the 16-bit copy sent back to the GPU. Mixed-precision Adam: 2 x 4 + 2 x 8 + 4 + 2 = 30
    /// bytes; pure bf16 Adam (states in bf16): 2 x 2 + 2 x 4 + 2 = 14.
    public static func cpuStepBytesPerParameter(_ recipe: TrainingRecipe) -> Double {
        let precision = recipe.precision
        if recipe.keepsMasterWeights {
            return 2 * precision.masterWeightBytes + 2 * recipe.optimizer.momentBytesPerParameter + 4 + precision.weightBytes
        }
        return 2 * precision.weightBytes + 2 * recipe.optimizer.momentBytes(parameterBytes: precision.weightBytes)
            + precision.gradientBytes
    }

    /// Exposed seconds per micro-batch of offloaded activations (`TrainingRecipe.activationOffload`):
    /// `bytes` go to the host during the forward and come back during the backward over the host
    /// link, each copy on its own stream behind that pass's compute: the part longer than the pass
    /// is exposed.
    public static func exposedActivationCopies(bytes: Double, cluster: ClusterTopology, forward: Double,
                                               backward: Double) -> Double {
        let link = linkBytesPerSecond(cluster)
        guard link > 0, bytes > 0 else { return 0 }
        let copy = bytes / link
        return max(copy - forward, 0) + max(copy - backward, 0)
    }

    /// Exposed seconds per micro-batch of streaming the stage's weights from the host under
    /// `--offload all`, given the stage's forward and backward compute of one micro-batch.
    public static func exposedWeightStreaming(weightBytes: Double, recipe: TrainingRecipe, cluster: ClusterTopology,
                                              forward: Double, backward: Double) -> Double {
        guard recipe.offload == .all else { return 0 }
        let link = linkBytesPerSecond(cluster)
        guard link > 0 else { return 0 }
        let pass = weightBytes / link
        let forwardPasses = recipe.recompute == .full ? 2.0 : 1.0
        return forwardPasses * max(pass - forward / forwardPasses, 0) + max(pass - backward, 0)
    }
}

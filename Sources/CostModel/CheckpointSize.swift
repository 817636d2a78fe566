import Workloads

/// What one checkpoint of a training job holds, in bytes, from the layout's sharded model and
/// optimizer states (`ParameterAccounting`).
///
/// A checkpoint a job can resume from holds, for every trainable parameter, the model copy in the
/// training precision (bf16: 2 bytes), the fp32 master weight (4) and the optimizer's moments
/// (Adam: 2 x 4), and for a frozen parameter only its weight: Megatron-Core's distributed
/// checkpoint (`--ckpt-format torch_dist`) saves the model's sharded state dict and the
/// distributed optimizer's fp32 parameters and `exp_avg`/`exp_avg_sq` (Megatron-LM
/// `megatron/core/dist_checkpointing`, `DistributedOptimizer.sharded_state_dict`); PyTorch DCP
/// saves the same for FSDP. Gradients are not saved. Each shard is saved once: replicas over
/// data parallelism are deduplicated and the writes are spread over all ranks
/// (`--ckpt-fully-parallel-save`), so every GPU writes about total / GPUs.
///
/// Llama 3 405B in bf16 with Adam: 405.9e9 x 14 bytes = 5.68 TB.
public struct CheckpointSize: Sendable, Hashable, Codable {
    /// Model weights in the training precision, all ranks, each shard once, bytes.
    public var weightBytes: Double
    /// fp32 master weights of the trainable parameters, bytes.
    public var masterWeightBytes: Double
    /// Optimizer moments (Adam's exp_avg and exp_avg_sq), bytes.
    public var optimizerMomentBytes: Double
    /// Weights + optimizer state one GPU of the most loaded stage holds (its ZeRO shard), bytes.
    public var heldPerGPUBytes: Double
    /// GPUs the job runs on; every one writes `totalBytes / gpus`.
    public var gpus: Int

    /// The whole checkpoint, bytes.
    public var totalBytes: Double { weightBytes + masterWeightBytes + optimizerMomentBytes }
    /// Bytes each GPU writes under a fully parallel save.
    public var writtenPerGPUBytes: Double { totalBytes / Double(max(gpus, 1)) }

    public init(weightBytes: Double, masterWeightBytes: Double, optimizerMomentBytes: Double,
                heldPerGPUBytes: Double, gpus: Int) {
        self.weightBytes = weightBytes
        self.masterWeightBytes = masterWeightBytes
        self.optimizerMomentBytes = optimizerMomentBytes
        self.heldPerGPUBytes = heldPerGPUBytes
        self.gpus = gpus
    }

    /// The checkpoint of `model` trained with `layout` and `recipe`: per pipeline stage, the
    /// parameters one GPU holds after TP (and EP for routed experts) times the ranks that hold
    /// distinct shards (TP, and TP x EP for experts), times each class's bytes per parameter.
    /// Norm and bias vectors replicated over TP are counted once per TP rank (a few parameters
    /// per layer per channel; under 1e-4 of a large model).
    public static func of(model: TransformerModel, geometry: LayerGeometry, layout: ParallelLayout,
                          recipe: TrainingRecipe) -> CheckpointSize {
        var weights = 0.0
        var master = 0.0
        var moments = 0.0
        var held = 0.0
        let tp = Double(max(layout.tp, 1))
        let ep = Double(max(layout.ep, 1))
        let masterPerParameter = recipe.precision.masterWeightBytes
        for stage in 0..<max(layout.pp, 1) {
            let accounting = ParameterAccounting(stage: stage, geometry: geometry, model: model, layout: layout,
                                                 recipe: recipe)
            for group in accounting.groups {
                let distinct = group.count * tp * (group.kind == .expert ? ep : 1)
                weights += distinct * group.weightBytesPerParameter
                let groupMaster = group.trainable ? min(masterPerParameter, group.optimizerBytesPerParameter) : 0
                master += distinct * groupMaster
                moments += distinct * (group.optimizerBytesPerParameter - groupMaster)
            }
            let memory = accounting.memory
            held = max(held, memory.weights + memory.optimizer)
        }
        return CheckpointSize(weightBytes: weights, masterWeightBytes: master, optimizerMomentBytes: moments,
                              heldPerGPUBytes: held, gpus: layout.gpus)
    }
}

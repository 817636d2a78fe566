/// How one training step is split over the GPUs: Megatron-style 3D parallelism plus context
/// and expert parallelism, sharded data parallelism, the micro-batching and the pipeline
/// schedule. What is trained and how (framework, precision, optimizer, recomputation, flash
/// attention, overlap) is the `TrainingRecipe` beside it.
///
/// GPUs = tp x cp x pp x dp (Megatron-Core's parallel_state); ep subdivides the data-parallel
/// ranks of the expert layers.
public struct ParallelLayout: Sendable, Hashable, Codable {
    public var tp: Int
    public var pp: Int
    public var dp: Int
    public var cp: Int
    public var ep: Int
    /// Virtual pipeline stages per pipeline rank (interleaved 1F1B when > 1).
    public var vpp: Int
    /// ZeRO stage 0-3 (3 = FSDP full sharding) over the data-parallel group.
    public var zero: Int
    public var sequenceParallel: Bool
    public var microBatch: Int
    public var globalBatch: Int
    /// Sequence length in tokens.
    public var seq: Int
    public var schedule: PipelineScheduleKind
    /// Ranks of the DP x CP group that shard the weights, gradients and optimizer state
    /// (MaxText's fsdp axis; HSDP, PyTorch's hybrid sharding): the states are sharded within
    /// groups of this size and the gradients all-reduced across the dp x cp / shardGroup
    /// replicas. nil = all dp x cp ranks (ZeRO, FSDP full sharding).
    public var shardGroup: Int?

    /// Target (decoder) sequence length of an encoder-decoder model; nil = `seq`
    /// (`decoderSeq`). Ignored by single-stack models.
    public var targetSeq: Int?


    public init(tp: Int = 1, pp: Int = 1, dp: Int = 1, cp: Int = 1, ep: Int = 1, vpp: Int = 1, zero: Int = 0,
                sequenceParallel: Bool = false, microBatch: Int = 1, globalBatch: Int = 1, seq: Int = 2048,
                schedule: PipelineScheduleKind = .oneForwardOneBackward, shardGroup: Int? = nil, targetSeq: Int? = nil) {
        self.tp = tp
        self.pp = pp
        self.dp = dp
        self.cp = cp
        self.ep = ep
        self.vpp = vpp
        self.zero = zero
        self.sequenceParallel = sequenceParallel
        self.microBatch = microBatch
        self.globalBatch = globalBatch
        self.seq = seq
        self.schedule = schedule
        self.shardGroup = shardGroup
        self.targetSeq = targetSeq
    }

    /// Ranks the model states are sharded over: `shardGroup`, else dp x cp.
    public var shards: Int { shardGroup ?? dp * cp }
    /// Replicas of the shard group (1 without HSDP).
    public var shardReplicas: Int { max(dp * cp / max(shards, 1), 1) }

    public var gpus: Int { tp * pp * dp * cp }
    /// Micro-batches each data-parallel replica runs per step (gradient accumulation steps).
    public var microBatchesPerReplica: Int {
        let perReplica = globalBatch / max(dp, 1)
        return perReplica / max(microBatch, 1)
    }
    /// Tokens processed per step by the whole job.
    public var tokensPerStep: Double { Double(globalBatch) * Double(seq) }
}

/// Activation recomputation (Korthikanti et al. 2022, section 5).
public enum Recompute: String, Sendable, Hashable, Codable, CaseIterable {
    /// Keep every activation.
    case none
    /// Recompute the attention core (QK^T, softmax, dropout, attention over V).
    case selective
    /// Keep only each layer's input; recompute the whole layer forward before its backward.
    case full
}

/// Pipeline schedule (Narayanan et al. 2021, section 2.2; Huang et al. 2019 for GPipe).
public enum PipelineScheduleKind: String, Sendable, Hashable, Codable, CaseIterable {
    case oneForwardOneBackward = "1f1b"
    case gpipe
}

/// The optimizer whose state is kept per parameter.
/// - `adam`: AdamW, two moments (fp32 in mixed precision; the parameter's dtype when pure).
/// - `adam-8bit`: bitsandbytes 8-bit AdamW (Dettmers et al. 2022), two 1-byte moments.
/// - `paged-adam`, `paged-adam-8bit`: bitsandbytes' paged AdamW (32- and 8-bit states) in CUDA
///   unified memory, which the driver evicts to host memory under GPU memory pressure (Dettmers
///   et al. 2023, QLoRA, section 3, "Paged Optimizers"); counted in host memory, not in the
///   GPU's peak (PyTorch's allocator does not see them).
/// - `adafactor`: factored second moment only (Shazeer & Stern 2018, HF `Adafactor` default
///   beta1 = None): one row and one column vector per matrix, (r + c) / (r c) values per
///   parameter, under 0.1% of a byte for h >= 1024; counted as 0.
/// - `sgd`: one momentum.
public enum OptimizerKind: String, Sendable, Hashable, Codable, CaseIterable {
    case adam
    case adam8bit = "adam-8bit"
    case pagedAdam = "paged-adam"
    case pagedAdam8bit = "paged-adam-8bit"
    case adafactor
    case sgd

    /// Moment bytes per parameter in mixed precision (see `CostModelConstants`).
    public var momentBytesPerParameter: Double {
        switch self {
        case .adam, .pagedAdam: return CostModelConstants.adamMomentBytesPerParameter
        case .adam8bit, .pagedAdam8bit: return CostModelConstants.adam8bitMomentBytesPerParameter
        case .adafactor: return 0
        case .sgd: return CostModelConstants.sgdMomentumBytesPerParameter
        }
    }

    /// Whether the states live in paged (unified) memory that spills to the host.
    public var isPaged: Bool { self == .pagedAdam || self == .pagedAdam8bit }

    /// Moment bytes per parameter when the optimizer keeps its 32-bit states in the parameter's
    /// own dtype (pure 16-bit training: PyTorch's AdamW allocates `zeros_like(param)`).
    public func momentBytes(parameterBytes: Double) -> Double {
        switch self {
        case .adam, .pagedAdam: return 2 * parameterBytes
        case .sgd: return parameterBytes
        case .adam8bit, .pagedAdam8bit, .adafactor: return momentBytesPerParameter
        }
    }

    /// Optimizer-state bytes per parameter under `precision`: the master weights it keeps
    /// beside the model copy plus the moments (Adam in bf16: 4 + 8 = 12, the K of Rajbhandari
    /// et al. 2020).
    public func stateBytesPerParameter(precision: Precision) -> Double {
        precision.masterWeightBytes + momentBytesPerParameter
    }
}

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
    /// Target (decoder) sequence length of an encoder-decoder model; nil = `seq`
    /// (`decoderSeq`). Ignored by single-stack models.
    public var targetSeq: Int?

    public init(tp: Int = 1, pp: Int = 1, dp: Int = 1, cp: Int = 1, ep: Int = 1, vpp: Int = 1, zero: Int = 0,
                sequenceParallel: Bool = false, microBatch: Int = 1, globalBatch: Int = 1, seq: Int = 2048,
                schedule: PipelineScheduleKind = .oneForwardOneBackward, targetSeq: Int? = nil) {
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
        self.targetSeq = targetSeq
    }

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
public enum OptimizerKind: String, Sendable, Hashable, Codable, CaseIterable {
    case adam
    case adam8bit = "adam-8bit"
    case sgd

    /// Moment bytes per parameter (see `CostModelConstants`).
    public var momentBytesPerParameter: Double {
        switch self {
        case .adam: return CostModelConstants.adamMomentBytesPerParameter
        case .adam8bit: return CostModelConstants.adam8bitMomentBytesPerParameter
        case .sgd: return CostModelConstants.sgdMomentumBytesPerParameter
        }
    }

    /// Optimizer-state bytes per parameter under `precision`: the master weights it keeps
    /// beside the model copy plus the moments (Adam in bf16: 4 + 8 = 12, the K of Rajbhandari
    /// et al. 2020).
    public func stateBytesPerParameter(precision: Precision) -> Double {
        precision.masterWeightBytes + momentBytesPerParameter
    }
}

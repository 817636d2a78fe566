/// One planning question: how to train on `gpus` GPUs with this global batch and sequence
import Goodput

/// length, with some dimensions possibly fixed, ranked by `objective`.
public struct PlanRequest: Sendable, Hashable {
    public var gpus: Int
    /// Sequences per optimizer step.
    public var globalBatch: Int
    /// Tokens per sequence.
    public var seq: Int
    /// Target (decoder) tokens per sequence of an encoder-decoder model; nil = `seq`.
    public var targetSeq: Int?
    public var constraints: PlanConstraints
    public var objective: PlanObjective
    /// How many plans to return, best first.
    public var top: Int
    /// Fraction of each GPU's memory a plan may use (1 = all of `MemoryModel.capacity`).
    public var maxMemoryFraction: Double
    /// Allow tensor parallelism across nodes (TP is kept within a node by default: its
    /// per-layer collectives need the scale-up bandwidth; Narayanan et al. 2021, section 3.2).
    public var allowCrossNodeTP: Bool
    /// Tokens and failure/checkpoint settings: needed by the time-to-train objective.
    public var timeToTrain: TrainingTimeSettings?

    public init(gpus: Int, globalBatch: Int, seq: Int, constraints: PlanConstraints = PlanConstraints(),
                objective: PlanObjective = .throughput, top: Int = 5, maxMemoryFraction: Double = 1.0,
                allowCrossNodeTP: Bool = false, targetSeq: Int? = nil, timeToTrain: TrainingTimeSettings? = nil) {
        self.targetSeq = targetSeq
        self.gpus = gpus
        self.globalBatch = globalBatch
        self.seq = seq
        self.constraints = constraints
        self.objective = objective
        self.top = top
        self.maxMemoryFraction = maxMemoryFraction
        self.allowCrossNodeTP = allowCrossNodeTP
        self.timeToTrain = timeToTrain
    }
}

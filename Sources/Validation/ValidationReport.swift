import CostModel

/// Predicted against reported figures for every run of one or more runs files (`loom validate`,
/// `--format json`). Contract fields: `runs` (`id`, `reported_tokens_per_s`,
/// `predicted_tokens_per_s`, `error`), `mean_abs_error`, `max_abs_error`; added: `p90_abs_error`,
/// `groups`, `refused`, `memory`, `iteration`.
public struct ValidationReport: Sendable, Hashable, Codable {
    public struct Row: Sendable, Hashable, Codable {
        public var id: String
        /// `SourceGroup.name(of:)` of the run's source.
        public var source: String
        public var framework: String
        public var reportedTokensPerS: Double
        public var predictedTokensPerS: Double
        /// predicted / reported - 1.
        public var error: Double
        public var predictedMfu: Double
        public var reportedMfu: Double?
        /// Step time, seconds: predicted, and reported with its error where the run reports it.
        public var predictedIterationS: Double
        public var reportedIterationS: Double?
        public var iterationError: Double?
        /// Peak memory of the most loaded GPU, GiB: predicted, and measured with its error where
        /// the run reports it.
        public var predictedPeakMemoryGib: Double
        public var reportedPeakMemoryGib: Double?
        public var memoryError: Double?
        /// What the prediction is made of, to see which term a miss comes from: the step's
        /// seconds by part (`loom estimate`'s `time`) and the most loaded GPU's memory by part.
        public var predictedTime: TimeBreakdown
        public var predictedMemoryGib: MemoryTerms
        /// Defaults taken for what the run leaves unstated (`EvaluationInputs.assumed`).
        public var assumed: [String]
    }

    /// Memory of the most loaded GPU by part, GiB.
    public struct MemoryTerms: Sendable, Hashable, Codable {
        public var weights: Double
        public var gradients: Double
        public var optimizer: Double
        public var activations: Double
        public var other: Double
    }

    /// One source group's tokens/s errors and its worst runs (largest |error| first).
    public struct Group: Sendable, Hashable, Codable {
        public var source: String
        public var tokensPerS: ErrorSummary
        /// Step time and peak memory of the group's runs that report them.
        public var iteration: ErrorSummary
        public var memory: ErrorSummary
        public var worst: [Worst]
        public var refused: Int
    }

    public struct Worst: Sendable, Hashable, Codable {
        public var id: String
        public var error: Double
    }

    /// A run not predicted, with its source group and every reason.
    public struct Refused: Sendable, Hashable, Codable {
        public var id: String
        public var source: String
        public var reasons: [String]
    }

    public var runs: [Row]
    public var meanAbsError: Double
    public var maxAbsError: Double
    public var p90AbsError: Double
    /// Mean signed tokens/s error (positive: predicted faster than reported).
    public var meanError: Double
    public var groups: [Group]
    public var refused: [Refused]
    /// Peak memory over the runs that report `peak_memory_gib`.
    public var memory: ErrorSummary
    /// Step time over the runs that report `iteration_s`.
    public var iteration: ErrorSummary
}

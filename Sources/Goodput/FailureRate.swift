import CostModel

/// How often one accelerator's share of the cluster interrupts a synchronous training job.
///
/// A synchronous job stops when any of its parts fails, so a job of N accelerators is interrupted
/// N times as often as one accelerator: the job's mean time between interruptions is
/// M = 1 / (N x rate). The rate is per accelerator-hour and counts every interruption a part of
/// the job causes (GPU, host, network, software), as the Llama 3 table does.
public struct FailureRate: Sendable, Hashable, Codable {
    /// One cause of interruptions and how many were observed.
    public struct Component: Sendable, Hashable, Codable {
        public var name: String
        /// GPU, Network, Host, Dependency, Unplanned Maintenance, Unknown (the table's categories).
        public var category: String
        public var interruptions: Int
        /// Whether a node has to be swapped (the table's hardware categories: GPU, Network, Host).
        public var needsNodeReplacement: Bool

        public init(name: String, category: String, interruptions: Int, needsNodeReplacement: Bool) {
            self.name = name
            self.category = category
            self.interruptions = interruptions
            self.needsNodeReplacement = needsNodeReplacement
        }
    }

    /// Interruptions per accelerator-hour, all causes.
    public var perAcceleratorHour: Double
    /// Share of interruptions that need a node replaced (hardware), in [0, 1].
    public var hardwareShare: Double
    /// The observed causes behind the rate, when it comes from a published breakdown.
    public var components: [Component]
    /// Where the rate comes from.
    public var source: String

    /// A rate given directly (e.g. from `--mtbf`); `hardwareShare` as in the Llama 3 table unless given.
    public init(perAcceleratorHour: Double, hardwareShare: Double = FailureRate.llama3.hardwareShare,
                source: String) throws {
        try GoodputError.requirePositive(perAcceleratorHour, "failure rate per accelerator-hour")
        guard hardwareShare.isFinite, (0...1).contains(hardwareShare) else {
            throw GoodputError("hardware share of failures is \(hardwareShare), must be in [0, 1]")
        }
        self.perAcceleratorHour = perAcceleratorHour
        self.hardwareShare = hardwareShare
        self.components = []
        self.source = source
    }

    /// A rate from an observed breakdown: the interruptions over `accelerators` x `hours`.
    public init(components: [Component], accelerators: Double, hours: Double, source: String) throws {
        try GoodputError.requirePositive(accelerators, "accelerators observed")
        try GoodputError.requirePositive(hours, "hours observed")
        guard components.contains(where: { $0.interruptions > 0 }),
              components.allSatisfy({ $0.interruptions >= 0 }) else {
            throw GoodputError("failure breakdown '\(source)' needs interruption counts >= 0, not all zero")
        }
        self.init(checkedComponents: components, acceleratorHours: accelerators * hours, source: source)
    }

    private init(checkedComponents components: [Component], acceleratorHours: Double, source: String) {
        let total = components.reduce(0) { $0 + $1.interruptions }
        let hardware = components.filter(\.needsNodeReplacement).reduce(0) { $0 + $1.interruptions }
        self.perAcceleratorHour = Double(total) / acceleratorHours
        self.hardwareShare = Double(hardware) / Double(total)
        self.components = components
        self.source = source
    }

    /// A rate from a job-level mean time between failures observed on `accelerators`.
    public static func fromMTBF(hours: Double, accelerators: Double) throws -> FailureRate {
        try GoodputError.requirePositive(hours, "mean time between failures (hours)")
        try GoodputError.requirePositive(accelerators, "accelerators behind the MTBF")
        return try FailureRate(perAcceleratorHour: 1 / (hours * accelerators),
                               source: "MTBF \(hours) h on \(accelerators) accelerators")
    }

    /// Mean time between interruptions of a job on `accelerators`, seconds: 1 / (N x rate).
    public func jobMTBFSeconds(accelerators: Int) throws -> Double {
        guard accelerators > 0 else { throw GoodputError("accelerators is \(accelerators), must be > 0") }
        return 3600 / (Double(accelerators) * perAcceleratorHour)
    }

    /// Interruptions per accelerator-hour from each component.
    public func componentRates() -> [(component: Component, perAcceleratorHour: Double)] {
        let total = Double(components.reduce(0) { $0 + $1.interruptions })
        return components.map { ($0, perAcceleratorHour * Double($0.interruptions) / total) }
    }

    /// Llama 3 405B pre-training (Dubey et al. 2024, section 3.3.4 and table 5); see
    /// `CostModelConstants.llama3Interruptions`.
    public static let llama3 = FailureRate(
        checkedComponents: CostModelConstants.llama3Interruptions.map {
            Component(name: $0.name, category: $0.category, interruptions: $0.interruptions,
                      needsNodeReplacement: $0.needsNodeReplacement)
        },
        acceleratorHours: CostModelConstants.llama3Accelerators * CostModelConstants.llama3Days * 24,
        source: "Llama 3 405B pre-training: 419 unexpected interruptions, 16,384 H100s, 54 days "
            + "(Dubey et al. 2024, section 3.3.4, table 5)")
}

import CostModel

/// What `loom plan` returns (ARCHITECTURE.md: `{"plans": [...], "evaluated": n, "pruned": n,
/// "search_seconds": x}`), plus a one-line explanation of why the best plan beats the runner-up.
public struct PlanResult: Sendable, Hashable, Codable {
    /// Full estimates of the best plans, best first.
    public var plans: [Estimate]
    /// Layouts whose time estimate was computed.
    public var evaluated: Int
    /// Layouts rejected by a memory bound before their time estimate.
    public var pruned: Int
    /// Wall-clock seconds of the search (enumeration, bounds, estimates, ranking).
    public var searchSeconds: Double
    /// Best versus runner-up, e.g. "best has 1.8 s less pipeline bubble per step (vpp 2 vs 1)".
    public var explanation: String
    /// The objective the plans are ranked by.
    public var objective: PlanObjective

    public init(plans: [Estimate], evaluated: Int, pruned: Int, searchSeconds: Double, explanation: String,
                objective: PlanObjective) {
        self.plans = plans
        self.evaluated = evaluated
        self.pruned = pruned
        self.searchSeconds = searchSeconds
        self.explanation = explanation
        self.objective = objective
    }

    /// Layouts looked at per second of search: (evaluated + pruned) / search seconds.
    public var layoutsPerSecond: Double {
        searchSeconds > 0 ? Double(evaluated + pruned) / searchSeconds : 0
    }
}

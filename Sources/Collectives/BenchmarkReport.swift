/// What one run of loom-bench found: the JSON document of `--format json` (ARCHITECTURE.md,
/// "Contracts"): `{"collective", "ranks", "results": [...], "environment": {...}}`.
/// `loom calibrate` and `loom compare-collectives` read it, so key names are a public interface.
public struct BenchmarkReport: Codable, Equatable, Sendable {
    /// The operation's command-line name, e.g. "allreduce".
    public var collective: String
    /// Ranks in the job.
    public var ranks: Int
    /// The reduction applied ("sum"), or nil when nothing is reduced.
    public var reduction: String?
    /// busbw / algbw for this collective and number of ranks (nccl-tests doc/PERFORMANCE.md).
    public var busBandwidthFactor: Double
    /// One entry per message size, smallest first.
    public var results: [SizeResult]
    /// Where it ran.
    public var environment: EnvironmentInfo

    public init(collective: String, ranks: Int, reduction: String?, busBandwidthFactor: Double,
                results: [SizeResult], environment: EnvironmentInfo) {
        self.collective = collective
        self.ranks = ranks
        self.reduction = reduction
        self.busBandwidthFactor = busBandwidthFactor
        self.results = results
        self.environment = environment
    }

    /// Wrong elements over all sizes and ranks.
    public var totalWrong: Int { results.reduce(0) { $0 + $1.wrong } }

    enum CodingKeys: String, CodingKey {
        case collective, ranks, reduction, results, environment
        case busBandwidthFactor = "busbw_factor"
    }
}

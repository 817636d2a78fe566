/// What one run of loom-bench found: the JSON document of `--format json` (DESIGN.md,
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

/// The measurement of one message size.
public struct SizeResult: Codable, Equatable, Sendable {
    /// count x element size (nccl-tests' "size").
    public var bytes: Int
    /// Elements in the operation's full buffer (nccl-tests' "count").
    public var count: Int
    /// Element type name: "float", "double", "int32" ("none" for barrier).
    public var dtype: String
    /// Time of one operation in microseconds: each rank's mean over the timed loop, then the
    /// minimum, mean and maximum of those over ranks.
    public var timeMicroseconds: TimeSummary
    /// Algorithm bandwidth in GB/s, from the mean time.
    public var algorithmBandwidth: Double
    /// Bus bandwidth in GB/s: algorithm bandwidth x the collective's factor.
    public var busBandwidth: Double
    /// Receive-buffer elements, summed over ranks, that did not hold the expected value.
    public var wrong: Int
    /// Timed iterations.
    public var iterations: Int
    /// Untimed warm-up iterations before them.
    public var warmup: Int

    public init(bytes: Int, count: Int, dtype: String, timeMicroseconds: TimeSummary, algorithmBandwidth: Double,
                busBandwidth: Double, wrong: Int, iterations: Int, warmup: Int) {
        self.bytes = bytes
        self.count = count
        self.dtype = dtype
        self.timeMicroseconds = timeMicroseconds
        self.algorithmBandwidth = algorithmBandwidth
        self.busBandwidth = busBandwidth
        self.wrong = wrong
        self.iterations = iterations
        self.warmup = warmup
    }

    enum CodingKeys: String, CodingKey {
        case bytes, count, dtype, wrong, iterations, warmup
        case timeMicroseconds = "time_us"
        case algorithmBandwidth = "algbw_gbps"
        case busBandwidth = "busbw_gbps"
    }
}

/// Minimum, mean and maximum over ranks.
public struct TimeSummary: Codable, Equatable, Sendable {
    public var min: Double
    public var avg: Double
    public var max: Double

    public init(min: Double, avg: Double, max: Double) {
        self.min = min
        self.avg = avg
        self.max = max
    }

    /// The summary of `values` (zeros when empty).
    public init(of values: [Double]) {
        guard let first = values.first else {
            self.init(min: 0, avg: 0, max: 0)
            return
        }
        let total = values.reduce(0, +)
        self.init(min: values.reduce(first, Swift.min), avg: total / Double(values.count),
                  max: values.reduce(first, Swift.max))
    }
}

/// Where the benchmark ran.
public struct EnvironmentInfo: Codable, Equatable, Sendable {
    /// `MPI_Get_library_version`, first line.
    public var mpiLibrary: String
    /// Distinct hosts (groups of ranks that share memory, `MPI_COMM_TYPE_SHARED`).
    public var hosts: Int
    /// Ranks on the most loaded host (equal on every host under `--map-by node` or equal slots).
    public var ranksPerHost: Int
    /// Each host's name (`MPI_Get_processor_name` of its lowest rank), in rank order.
    public var hostNames: [String]
    /// When the run started, ISO 8601 in UTC.
    public var date: String

    public init(mpiLibrary: String, hosts: Int, ranksPerHost: Int, hostNames: [String], date: String) {
        self.mpiLibrary = mpiLibrary
        self.hosts = hosts
        self.ranksPerHost = ranksPerHost
        self.hostNames = hostNames
        self.date = date
    }

    enum CodingKeys: String, CodingKey {
        case hosts, date
        case mpiLibrary = "mpi_library"
        case ranksPerHost = "ranks_per_host"
        case hostNames = "host_names"
    }
}

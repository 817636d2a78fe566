/// Everything that stops a benchmark other than a failed MPI call (`MPIError`), each with one
/// line that names the bad value and the constraint it breaks (ARCHITECTURE.md, "Errors").
public enum BenchmarkError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The process was not started by mpirun (or another MPI launcher).
    case notLaunchedByMPI
    /// `--name` was given `text`, which is not a size.
    case invalidSize(option: String, text: String)
    /// `--min-bytes` is larger than `--max-bytes`.
    case emptyRange(minimum: ByteSize, maximum: ByteSize)
    /// An option that must be at least `minimum` was given `value`.
    case outOfRange(option: String, value: String, minimum: String)
    /// No collective by that name.
    case unknownCollective(String)
    /// A fault-injection spec that does not parse (test hook).
    case invalidFault(String)
    /// The collective cannot run on this many ranks.
    case unsupportedRanks(String)
    /// No size of the range holds a whole element per block.
    case noSizes(collective: String, minimum: ByteSize, maximum: ByteSize, smallest: Int)
    /// A buffer would need more elements than MPI's `int` count can say.
    case countTooLarge(maximum: ByteSize, elements: Int)
    /// The largest size needs more memory than the tightest host has available.
    case insufficientMemory(maximum: ByteSize, perRank: Int, ranksOnHost: Int, available: Int)
    /// The system refused an allocation of `bytes`.
    case allocationFailed(bytes: Int)
    /// `--out` cannot be written.
    case outputNotWritable(path: String, reason: String)

    /// Whether every rank reaches the same error at the same point (from the same arguments, or
    /// after agreeing through a collective), so they can all stop cleanly and rank 0 alone reports
    /// it; otherwise the rank that failed reports it and aborts the job.
    public var isSameOnEveryRank: Bool {
        switch self {
        case .allocationFailed: return false
        default: return true
        }
    }

    public var description: String {
        switch self {
        case .notLaunchedByMPI:
            return "started without mpirun: launch it as `mpirun -np 2 loom-bench allreduce` (across hosts add --hostfile FILE)"
        case let .invalidSize(option, text):
            return "\(option) '\(text)' is not a size: give bytes, optionally with K, M or G (powers of 1024), like 4, 1K, 16M, 256M"
        case let .emptyRange(minimum, maximum):
            return "--min-bytes \(minimum) is larger than --max-bytes \(maximum)"
        case let .outOfRange(option, value, minimum):
            return "\(option) \(value) is out of range: it must be at least \(minimum)"
        case let .unknownCollective(name):
            return "unknown collective '\(name)': choose one of \(CollectiveCatalog.names.joined(separator: ", "))"
        case let .invalidFault(text):
            return "--inject-fault '\(text)' is not KIND:RANK with KIND hang, kill, mpi-error or corrupt"
        case let .unsupportedRanks(reason):
            return reason
        case let .noSizes(collective, minimum, maximum, smallest):
            return "no size from --min-bytes \(minimum) to --max-bytes \(maximum) gives \(collective) a whole element per rank: raise --max-bytes to at least \(ByteSize(bytes: smallest))"
        case let .countTooLarge(maximum, elements):
            return "--max-bytes \(maximum) needs buffers of \(elements) elements, more than MPI's int count (\(Int32.max)) allows"
        case let .insufficientMemory(maximum, perRank, ranksOnHost, available):
            let total = perRank.multipliedReportingOverflow(by: ranksOnHost).partialValue
            return "--max-bytes \(maximum) needs \(MemoryAmount(perRank)) per rank, \(MemoryAmount(total)) for \(ranksOnHost) ranks on one host, but only \(MemoryAmount(available)) is available there (90% of MemAvailable in /proc/meminfo): lower --max-bytes"
        case let .allocationFailed(bytes):
            return "could not allocate \(MemoryAmount(bytes)) for message buffers"
        case let .outputNotWritable(path, reason):
            return "--out \(path) cannot be written: \(reason)"
        }
    }
}

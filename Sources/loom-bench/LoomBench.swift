import ArgumentParser
import Collectives
import Foundation

/// `loom-bench`: MPI collective microbenchmarks with verified results, launched by mpirun
/// (the nccl-tests / OSU of Loom). This target parses, hands the work to the `Collectives`
/// module and prints; see `LoomBench+Run.swift` for what every rank does.
@main
struct LoomBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "loom-bench",
        abstract: "Measure MPI collectives over a range of message sizes, checking every result.",
        discussion: """
            Collectives:\(CollectiveCatalog.all.map { "\n  \($0.name.padding(toLength: 14, withPad: " ", startingAt: 0))\($0.summary)" }.joined())

            Examples:
              mpirun -np 4 loom-bench allreduce
              mpirun -np 2 loom-bench sendrecv --max-bytes 16M --format json --out r.json
              mpirun --hostfile hosts --map-by node -np 8 loom-bench alltoall
            """
    )

    @Argument(help: ArgumentHelp("The operation to measure.", valueName: CollectiveCatalog.names.joined(separator: "|")))
    var collective: String

    @Option(parsing: .unconditional, help: "Smallest message size in bytes; K, M, G suffixes (powers of 1024).")
    var minBytes: String = "4"

    @Option(parsing: .unconditional, help: "Largest message size; sizes double from --min-bytes up to it.")
    var maxBytes: String = "256M"

    @Option(parsing: .unconditional, help: "Timed iterations at every size (default: by size, as OSU: 1000, 100 above 8K, 20 above 16M).")
    var iters: Int?

    @Option(parsing: .unconditional, help: "Untimed warm-up iterations at every size (default: by size: 200, 10 above 8K, 5 above 16M).")
    var warmup: Int?

    @Option(help: "Element type: float, double or int32.")
    var dtype: String = "float"

    @Option(help: "Output: table (like nccl-tests) or json.")
    var format: OutputFormat = .table

    @Option(help: "Also save the output (in --format) to this file, written atomically.")
    var out: String?

    @Option(parsing: .unconditional, help: "Abort the job (MPI_Abort) when one message size takes longer than this many seconds; 0 never.")
    var timeout: Double = 600

    @Option(help: .hidden)
    var injectFault: String?

    /// The largest --iters and --warmup accepted: far beyond use, and safe from overflow.
    static let iterationLimit = 1_000_000_000

    mutating func validate() throws {
        _ = try settings()
    }

    /// The validated request, in the library's types; throws a `ValidationError` with one line.
    func settings() throws -> Settings {
        func fail(_ error: BenchmarkError) -> ValidationError { ValidationError(error.description) }
        guard let operation = CollectiveCatalog.named(collective) else { throw fail(.unknownCollective(collective)) }
        guard let minimum = ByteSize(parsing: minBytes) else { throw fail(.invalidSize(option: "--min-bytes", text: minBytes)) }
        guard let maximum = ByteSize(parsing: maxBytes) else { throw fail(.invalidSize(option: "--max-bytes", text: maxBytes)) }
        guard minimum.bytes >= 1 else { throw fail(.outOfRange(option: "--min-bytes", value: minBytes, minimum: "1")) }
        guard minimum <= maximum else { throw fail(.emptyRange(minimum: minimum, maximum: maximum)) }
        if let iters, !(1 ... Self.iterationLimit).contains(iters) {
            throw fail(.outOfRange(option: "--iters", value: "\(iters)", minimum: "1 (and at most \(Self.iterationLimit))"))
        }
        if let warmup, !(0 ... Self.iterationLimit).contains(warmup) {
            throw fail(.outOfRange(option: "--warmup", value: "\(warmup)", minimum: "0 (and at most \(Self.iterationLimit))"))
        }
        guard let elementType = ElementType(rawValue: dtype.lowercased()) else {
            throw ValidationError("--dtype '\(dtype)' is not an element type: choose float, double or int32")
        }
        guard timeout.isFinite, timeout >= 0 else {
            throw fail(.outOfRange(option: "--timeout", value: String(format: "%g", timeout), minimum: "0 (0 disables it)"))
        }
        var fault: FaultInjection?
        if let injectFault {
            guard let parsed = FaultInjection(parsing: injectFault) else { throw fail(.invalidFault(injectFault)) }
            fault = parsed
        }
        return Settings(collective: operation, elementType: elementType, minimum: minimum, maximum: maximum,
                        policy: IterationPolicy(iterations: iters, warmup: warmup), fault: fault)
    }

    /// What `settings()` validated.
    struct Settings {
        let collective: any Collective
        let elementType: ElementType
        let minimum: ByteSize
        let maximum: ByteSize
        let policy: IterationPolicy
        let fault: FaultInjection?
    }

    /// Parses on every rank, checks the launch, then runs under MPI. Errors before MPI starts are
    /// reported by rank 0 only (every rank parsed the same arguments), as one line.
    static func main() {
        let launcherRank = MPIEnvironment.launcherRank
        let command: LoomBench
        do {
            command = try parse()
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                // --help: ArgumentParser's own text, once.
                if (launcherRank ?? 0) == 0 { exit(withError: error) }
                Foundation.exit(0)
            }
            if (launcherRank ?? 0) == 0 { Console.error(message(for: error)) }
            Foundation.exit(code.rawValue == 0 ? 1 : code.rawValue)
        }
        guard launcherRank != nil else {
            Console.error(BenchmarkError.notLaunchedByMPI.description)
            Foundation.exit(2)
        }
        command.runUnderMPI()
    }
}

/// `--format`.
enum OutputFormat: String, CaseIterable, ExpressibleByArgument {
    case table, json
}

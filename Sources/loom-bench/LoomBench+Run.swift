import Collectives
import Foundation

/// What every rank does once mpirun has started it. Exit status: 0 when every result was right,
/// 3 when some element was wrong, 64 on a bad argument, 1 on another failure, 124 when the watchdog ended
/// the job (`--timeout`).
extension LoomBench {
    /// Exit status when a result was wrong.
    static let wrongResultsExitCode: Int32 = 3

    func runUnderMPI() -> Never {
        let world: Communicator
        do {
            world = try MPIEnvironment.initialize()
        } catch {
            Console.error("\(error)")
            Foundation.exit(1)
        }
        let rank = world.rank
        var watchdog: Watchdog?
        if timeout > 0 {
            watchdog = Watchdog(timeout: timeout, rank: rank) { Console.error("rank \(rank): \($0)") }
        }
        watchdog?.start()
        watchdog?.arm("start-up")
        do {
            let status = try measureAndReport(world: world, watchdog: watchdog)
            watchdog?.arm("MPI_Finalize")
            MPIEnvironment.finalize()
            watchdog?.stop()
            Foundation.exit(status)
        } catch let error as BenchmarkError where error.isSameOnEveryRank {
            // Every rank reached this error together: stop cleanly, rank 0 says why.
            if rank == 0 { Console.error(error.description) }
            watchdog?.arm("MPI_Finalize")
            MPIEnvironment.finalize()
            watchdog?.stop()
            Foundation.exit(1)
        } catch {
            // Only this rank knows: say so, and end the others, which may be waiting for it.
            let host = (try? MPIEnvironment.processorName()) ?? "unknown host"
            Console.error("rank \(rank) on \(host): \(error)")
            MPIEnvironment.abort(code: 1)
        }
    }

    /// Validates, measures every size and, on rank 0, prints and saves the results. Returns the
    /// exit status.
    private func measureAndReport(world: Communicator, watchdog: Watchdog?) throws -> Int32 {
        let settings = try settings()
        let harness = try BenchmarkHarness(collective: settings.collective, elementType: settings.elementType,
                                           minimum: settings.minimum, maximum: settings.maximum,
                                           policy: settings.policy, world: world)
        let layout = try HostLayout.discover(world: world)
        try HostMemory.check(bytesPerRank: harness.bytesPerRank, maximum: settings.maximum, layout: layout, world: world)
        try checkOutput(world: world)

        let environment = layout.environment()
        let reporter = world.rank == 0
        var table: [String] = []
        func emit(_ line: String) {
            table.append(line)
            if format == .table { Console.print(line) }
        }
        if reporter {
            emit(ResultTable.header(collective: settings.collective, ranks: world.size, environment: environment,
                                    policy: settings.policy))
        }
        let results = try harness.run(watchdog: watchdog, fault: settings.fault) { result in
            emit(ResultTable.row(result, collective: settings.collective))
        }
        guard reporter else { return 0 }

        let report = BenchmarkReport(collective: settings.collective.name, ranks: world.size,
                                     reduction: settings.collective.reduction?.rawValue,
                                     busBandwidthFactor: harness.busBandwidthFactor, results: results,
                                     environment: environment)
        emit(ResultTable.footer(results))
        let text: String
        switch format {
        case .table: text = table.joined(separator: "\n") + "\n"
        case .json:
            text = try report.jsonText()
            Console.print(text)
        }
        if let out {
            do {
                try Console.save(text, to: out)
            } catch {
                Console.error(BenchmarkError.outputNotWritable(path: out, reason: error.localizedDescription).description)
                return 1
            }
        }
        guard report.totalWrong == 0 else {
            Console.error("\(report.totalWrong) wrong elements in \(report.collective) results: the MPI library or network corrupts data")
            return Self.wrongResultsExitCode
        }
        return 0
    }

    /// Rank 0 checks that `--out` can be written before anything is measured; all ranks learn
    /// its verdict, so that they stop together.
    private func checkOutput(world: Communicator) throws {
        guard let out else { return }
        let reason = world.rank == 0 ? Console.unwritableReason(out) : nil
        let failed = try world.allreduce(Int32(reason == nil ? 0 : 1), .max)
        if failed != 0 {
            throw BenchmarkError.outputNotWritable(path: out, reason: reason ?? "see rank 0")
        }
    }
}

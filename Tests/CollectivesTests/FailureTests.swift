import Collectives
import Foundation
import Testing

/// Bad input and faults without mpirun: one clear line on stderr and a non-zero exit.
@Suite struct StandaloneFailureTests {
    @Test func withoutMpirunItSaysHowToLaunch() throws {
        let run = try BenchRunner.alone(["allreduce"])
        #expect(run.status == 2)
        #expect(run.stderr.split(separator: "\n").count == 1)
        #expect(run.stderr.contains("mpirun -np"))
        #expect(run.stdout.isEmpty)
    }

    @Test(arguments: [
        (["frobnicate"], "frobnicate"),
        (["allreduce", "--max-bytes", "12X"], "12X"),
        (["allreduce", "--min-bytes", "1M", "--max-bytes", "4K"], "--min-bytes 1M"),
        (["allreduce", "--min-bytes", "0"], "--min-bytes 0"),
        (["allreduce", "--iters", "0"], "--iters 0"),
        (["allreduce", "--warmup", "-1"], "--warmup -1"),
        (["allreduce", "--dtype", "half"], "half"),
        (["allreduce", "--format", "xml"], "xml"),
        (["allreduce", "--timeout", "-5"], "--timeout -5"),
        (["allreduce", "--max-bytes", "-4"], "'-4'"),
    ])
    func badInputIsOneLineNamingTheValue(arguments: [String], named: String) throws {
        let run = try BenchRunner.alone(arguments)
        #expect(run.status != 0)
        #expect(run.stderr.split(separator: "\n").count == 1, "\(run.stderr)")
        #expect(run.stderr.contains(named), "\(run.stderr)")
    }

    @Test func helpListsTheCollectivesAndExamples() throws {
        let run = try BenchRunner.alone(["--help"])
        #expect(run.status == 0)
        for name in CollectiveCatalog.names { #expect(run.stdout.contains(name)) }
        #expect(run.stdout.contains("Examples"))
    }
}

/// Faults under mpirun: a clear message, a non-zero exit, and never a hang.
extension MPILaunchTests {
    @Suite struct Failures {
        static let small = ["--max-bytes", "64", "--iters", "5", "--warmup", "1"]

        /// allreduce on 2 ranks with `fault` injected; must end well within the test's time limit.
        static func withFault(_ fault: String, _ extra: [String] = []) throws -> BenchRun {
            let run = try BenchRunner.mpirun(2, ["allreduce", "--inject-fault", fault] + extra + small, timeLimit: 60)
            #expect(!run.timedOut)
            #expect(run.seconds < 30)
            return run
        }

        @Test func badSizeUnderMpirunIsReportedOnceNotOncePerRank() throws {
            let run = try BenchRunner.mpirun(2, ["allreduce", "--max-bytes", "12X"], timeLimit: 60)
            #expect(run.status != 0)
            #expect(run.benchErrorLines.count == 1, "\(run.stderr)")
            #expect(run.stderr.contains("12X"))
        }

        @Test func pairwiseBenchmarksRefuseAnOddNumberOfRanks() throws {
            let run = try BenchRunner.mpirun(3, ["sendrecv"] + Self.small, timeLimit: 60)
            #expect(run.status != 0)
            #expect(run.benchErrorLines.count == 1, "\(run.stderr)")
            #expect(run.stderr.contains("even number of ranks"))
        }

        @Test func memoryForTheLargestSizeIsCheckedBeforeAllocating() throws {
            // allreduce of 4 GiB floats: 8 GiB of buffers per rank, 32 GiB for 4 ranks.
            let needed = 32.0 * Double(1 << 30)
            let available = Double(HostMemory.availableBytes() ?? Int.max) * HostMemory.usableFraction
            try #require(available < needed, "this host has more than 32 GiB available; nothing to refuse")
            let run = try BenchRunner.mpirun(4, ["allreduce", "--min-bytes", "4G", "--max-bytes", "4G"], timeLimit: 60)
            #expect(run.status != 0)
            #expect(run.benchErrorLines.count == 1, "\(run.stderr)")
            #expect(run.stderr.contains("--max-bytes 4G needs 8 GiB per rank"))
            #expect(run.seconds < 30)
        }

        @Test func aHungRankEndsTheJobAtTheTimeout() throws {
            let run = try Self.withFault("hang:1", ["--timeout", "3"])
            #expect(run.status == Watchdog.exitCode)
            #expect(run.stderr.contains("no progress for 3 s"))
        }

        @Test func aRankThatDiesEndsTheJob() throws {
            let run = try Self.withFault("kill:1", ["--timeout", "20"])
            #expect(run.status != 0)
            #expect(run.stderr.contains("rank 1"))
        }

        @Test func anMPIErrorIsAMessageAndAnAbortNotAHang() throws {
            let run = try Self.withFault("mpi-error:1")
            #expect(run.status != 0)
            #expect(run.benchErrorLines.count == 1, "\(run.stderr)")
            #expect(run.stderr.contains("rank 1") && run.stderr.contains("MPI_Bcast failed"))
        }

        @Test func wrongResultsAreCountedAndFailTheRun() throws {
            let run = try Self.withFault("corrupt:1", ["--format", "json"])
            #expect(run.status == 3)
            let report = try JSONDecoder().decode(BenchmarkReport.self, from: Data(run.stdout.utf8))
            #expect(report.results.map(\.wrong) == [1] + Array(repeating: 0, count: report.results.count - 1))
            #expect(run.stderr.contains("1 wrong elements"))
        }

        @Test func anUnwritableOutFileIsRefusedBeforeMeasuring() throws {
            let run = try BenchRunner.mpirun(2, ["allreduce", "--out", "/nonexistent-dir/r.json"] + Self.small, timeLimit: 60)
            #expect(run.status != 0)
            #expect(run.benchErrorLines.count == 1, "\(run.stderr)")
            #expect(run.stderr.contains("/nonexistent-dir"))
            #expect(run.stdout.isEmpty)
        }
    }
}

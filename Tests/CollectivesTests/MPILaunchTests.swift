import Collectives
import Foundation
import Testing

/// Every test that starts mpirun. They run one at a time (the suite is serialized, and so are the
/// suites nested in it by the extensions in the other files), since they share a small machine.
@Suite(.serialized, .enabled(if: BenchRunner.hasMPI, "mpirun is not installed: apt-get install openmpi-bin libopenmpi-dev"))
struct MPILaunchTests {
    /// Small sizes and few iterations keep the whole suite short.
    static let quick = ["--max-bytes", "4K", "--iters", "5", "--warmup", "1", "--timeout", "60", "--format", "json"]

    @Test(arguments: CollectiveCatalog.names, [2, 4])
    func everyCollectiveGivesVerifiedResults(name: String, ranks: Int) throws {
        let run = try BenchRunner.mpirun(ranks, [name] + Self.quick)
        let report = try ReportChecks.verified(run, collective: name, ranks: ranks)
        #expect(report.environment.hosts == 1)
        #expect(report.environment.ranksPerHost == ranks)
        if name != "barrier" {
            #expect(report.results.last?.bytes ?? 0 > 1024)
        }
    }

    @Test(arguments: ["double", "int32"])
    func otherElementTypesAreVerifiedToo(dtype: String) throws {
        let run = try BenchRunner.mpirun(2, ["allreduce", "--min-bytes", "8", "--dtype", dtype] + Self.quick)
        try ReportChecks.verified(run, collective: "allreduce", ranks: 2, dtype: dtype)
    }

    @Test func tableHasOneRowPerSizeAndTheVerdict() throws {
        let run = try BenchRunner.mpirun(2, ["allgather", "--min-bytes", "8", "--max-bytes", "64", "--iters", "3"])
        #expect(run.status == 0)
        let lines = run.stdout.split(separator: "\n")
        let rows = lines.filter { !$0.hasPrefix("#") }
        #expect(rows.map { $0.split(separator: " ").first ?? "" } == ["8", "16", "32", "64"])
        #expect(rows.allSatisfy { $0.split(separator: " ").last == "0" })
        #expect(lines.contains { $0.contains("size") && $0.contains("algbw") && $0.contains("busbw") && $0.contains("#wrong") })
        #expect(lines.contains { $0.contains("Out of bounds values : 0 OK") })
        #expect(run.stderr.isEmpty)
    }

    @Test func outSavesTheSameDocumentAtomically() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("loom-bench-out-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("allreduce.json")
        let run = try BenchRunner.mpirun(2, ["allreduce", "--out", file.path] + Self.quick)
        try ReportChecks.verified(run, collective: "allreduce", ranks: 2)
        #expect(try String(contentsOf: file, encoding: .utf8) == run.stdout)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["allreduce.json"])
    }
}

import Calibration
import CostModel
import Foundation
import Testing

/// Bad benchmark input: one clear line naming the file and the value, never a trap.
@Suite struct CollectiveFitInputTests {
    static func document(collective: String = "allreduce", ranks: String = "2", hosts: String = "1",
                         results: String? = nil) -> String {
        let rows = results ?? """
            {"bytes": 1024, "count": 256, "dtype": "float", "time_us": {"min": 2.0, "avg": 2.1, "max": 2.2}, "wrong": 0},
            {"bytes": 2048, "count": 512, "dtype": "float", "time_us": {"min": 2.5, "avg": 2.6, "max": 2.7}, "wrong": 0}
            """
        return """
            {"collective": "\(collective)", "ranks": \(ranks), "busbw_factor": 1, "results": [\(rows)],
             "environment": {"mpi_library": "Open MPI v4.1.4, package: Debian", "hosts": \(hosts),
                             "ranks_per_host": 2, "host_names": ["vm"], "date": "2026-11-22T01:00:00Z"}}
            """
    }

    static func parse(_ text: String) throws -> BenchmarkRun {
        try BenchmarkRun.parse(Data(text.utf8), file: "run.json")
    }

    @Test func aLoomBenchDocumentIsRead() throws {
        let run = try Self.parse(Self.document())
        #expect(run.kind == .allReduce && run.ranks == 2 && run.hosts == 1 && run.tier == "scale_up")
        #expect(run.samples.map(\.bytes) == [1024, 2048])
        #expect(run.samples[0].avgUs == 2.1 && run.samples[1].minUs == 2.5)
        #expect(run.mpiLibrary?.hasPrefix("Open MPI") == true && run.hostNames == ["vm"])
        let pingpong = try Self.parse(Self.document(collective: "pingpong"))
        #expect(pingpong.kind == .sendRecv && pingpong.collective == "pingpong")
    }

    static let badDocuments: [(text: String, expected: String)] = [
        ("", "is empty"),
        ("  \n", "is empty"),
        ("{\"collective\": ", "is not JSON"),
        ("[1, 2]", "not a JSON object"),
        ("{}", "collective is missing"),
        (document(collective: "barrier"), "moves no data"),
        (document(collective: "gossip"), "no cost formula"),
        (document(ranks: "1"), "ranks is 1, must be at least 2"),
        (document(ranks: "2.5"), "must be a whole number"),
        (document(ranks: "true"), "ranks is not a number"),
        (document(ranks: "1e300"), "must be a whole number"),
        (document(hosts: "0"), "environment.hosts is 0"),
        (document(results: ""), "results is empty"),
        (document(results: "{\"bytes\": 1024}"), "results[0].time_us is missing"),
        (document(results: "{\"bytes\": 0, \"time_us\": {\"min\": 1, \"avg\": 1, \"max\": 1}}"), "bytes is 0"),
        (document(results: "{\"bytes\": 64, \"time_us\": {\"min\": 1, \"avg\": 0, \"max\": 1}}"), "time_us.avg is 0.0"),
        (document(results: "{\"bytes\": 64, \"time_us\": {\"min\": -3, \"avg\": 1, \"max\": 1}}"), "time_us.min is -3.0"),
        (document(results: "{\"bytes\": 64, \"time_us\": {\"min\": 1, \"avg\": \"x\", \"max\": 1}}"), "avg is not a number"),
        (document(results: "{\"bytes\": 64, \"time_us\": {\"min\": 1, \"avg\": 1, \"max\": 1}, \"wrong\": 3}"),
         "failed its correctness check"),
    ]

    @Test(arguments: badDocuments)
    func badDocumentsGiveOneLine(text: String, expected: String) {
        let error = #expect(throws: CalibrationError.self) { try Self.parse(text) }
        let line = error.map { "\($0)" } ?? ""
        #expect(line.hasPrefix("run.json: ") && line.contains(expected) && !line.contains("\n"), "\(line)")
    }

    @Test func missingFilesAreNamed() {
        let missing = #expect(throws: CalibrationError.self) { try BenchmarkRun.load(path: "/nonexistent/bench.json") }
        #expect(missing?.description == "/nonexistent/bench.json: no such benchmark file")
        let folder = #expect(throws: CalibrationError.self) { try BenchmarkRun.load(path: "/tmp") }
        #expect(folder?.description.contains("is a directory") == true)
    }

    @Test func oneSizeIsNothingToFit() throws {
        let run = try Self.parse(Self.document(results: """
            {"bytes": 4096, "time_us": {"min": 3, "avg": 3, "max": 3}},
            {"bytes": 4096, "time_us": {"min": 4, "avg": 4, "max": 4}}
            """))
        let error = #expect(throws: CalibrationError.self) { try Calibration.calibrate(runs: [run], base: dgxA100(), name: "x") }
        #expect(error?.description.contains("only one message size (4096 bytes): nothing to fit") == true)
    }

    @Test func timesThatDoNotGrowHaveNoBandwidth() {
        let flat = [(bytes: 1024, microseconds: 5.0), (bytes: 1 << 20, microseconds: 5.0), (bytes: 1 << 24, microseconds: 4.0)]
        #expect(throws: CalibrationError.self) {
            _ = try CollectiveFit.fit(.allReduce, tier: "scale_up", ranks: 2, samples: flat, source: "flat")
        }
        let negative = [(bytes: 1024, microseconds: 5.0), (bytes: 2048, microseconds: -1.0)]
        let error = #expect(throws: CalibrationError.self) {
            _ = try CollectiveFit.fit(.allReduce, tier: "scale_up", ranks: 2, samples: negative, source: "neg")
        }
        #expect(error?.description.contains("must be positive") == true)
    }

    /// Extreme numbers fit or fail cleanly, each case as expected, never a trap or a NaN:
    /// - 1 byte in 1 ns to 1 TB in 1000 s on 2 ranks: a line (alpha ~ 0, beta ~ 1 ns/byte);
    /// - times falling with size: no bandwidth to fit, one line;
    /// - 1e-300 to 1e300 us, or the smallest subnormal to the largest double: the weighted
    ///   regression's terms overflow, so no line is fitted, one line;
    /// - Int.max - 1 and Int.max bytes: the same size once converted to Double, no line.
    @Test(arguments: [
        (samples: [(1, 1e-3), (1 << 40, 1e9)], ranks: 2, fits: true),
        (samples: [(1, 1e300), (2, 1e-300)], ranks: 1 << 40, fits: false),
        (samples: [(1, 1e-300), (Int.max, 1e300)], ranks: 1 << 40, fits: false),
        (samples: [(1, Double.leastNonzeroMagnitude), (2, Double.greatestFiniteMagnitude)], ranks: 1 << 40, fits: false),
        (samples: [(Int.max - 1, 1), (Int.max, 2)], ranks: 1 << 40, fits: false),
    ] as [(samples: [(Int, Double)], ranks: Int, fits: Bool)])
    func extremeValuesFitOrFailInOneLine(samples: [(Int, Double)], ranks: Int, fits: Bool) {
        let input = samples.map { (bytes: $0.0, microseconds: $0.1) }
        do {
            let fit = try CollectiveFit.fit(.allToAll, tier: "scale_up", ranks: ranks, samples: input, source: "x")
            #expect(fits, "expected no fit, got alpha \(fit.alphaUs) beta \(fit.betaUsPerByte)")
            #expect(fit.alphaUs.isFinite && fit.betaUsPerByte.isFinite && fit.betaUsPerByte > 0)
        } catch let error as CalibrationError {
            #expect(!fits, "expected a fit, got: \(error.description)")
            #expect(error.description.hasPrefix("x: ") && !error.description.contains("\n"))
        } catch {
            Issue.record("not a CalibrationError: \(error)")
        }
    }
}

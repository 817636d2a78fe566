import Foundation
import Testing

/// Issue 14's reproducers, run as a user would: each gets one clear stderr line and a non-zero
/// exit (or, for `loom clusters`, a warning per skipped file and exit 0), quickly. The time bound
/// is generous because the test machine is shared; the limits make each case a few milliseconds.
/// Serialized: one `loom` at a time, to leave the measuring tests of CalibrateCommandTests room.
@Suite(.serialized) struct RobustnessTests {
    static let bound: Duration = .seconds(5)

    static func scratch() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("loom-robust-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    static func write(_ text: String, _ name: String, in folder: URL) throws -> String {
        let url = folder.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    /// `python3 -c "print('['*5000)"`.
    static let deep = String(repeating: "[", count: 5000) + "\n"
    /// 9 levels of 9 aliases each: 9^9 scalars once expanded.
    static let aliasBomb: String = {
        var lines = ["a0: &a0 [" + Array(repeating: "\"lol\"", count: 9).joined(separator: ", ") + "]"]
        for level in 1...8 {
            lines.append("a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 9).joined(separator: ", ") + "]")
        }
        return lines.joined(separator: "\n") + "\n"
    }()
    /// 2,000 block mappings, each inside the one before.
    static let nestedMappings = (0..<2000).map { String(repeating: " ", count: $0) + "k\($0):" }.joined(separator: "\n") + " 1\n"

    /// Runs `arguments`, expecting one stderr line containing `expected`, a non-zero exit, and a
    /// run within `bound`.
    func expectOneLine(_ arguments: [String], _ expected: String) throws {
        let clock = ContinuousClock()
        var result = CLIResult(status: 0, stdout: "", stderr: "")
        let elapsed = try clock.measure { result = try CLIRunner.run(arguments) }
        #expect(result.status != 0 && result.status < 128, "status \(result.status): \(result.stderr)")
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1 && result.stderr.contains(expected), "\(result.stderr)")
        #expect(elapsed < Self.bound, "\(arguments): \(elapsed)")
    }

    static let workload = ["--gpus", "8", "--global-batch", "8"]

    @Test func deepFileAsModelOrCluster() throws {
        let folder = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try Self.write(Self.deep, "d.yaml", in: folder)
        try expectOneLine(["estimate", "--model", path, "--cluster", "dgx-h100"] + Self.workload,
                          "d.yaml: nested more than 64 levels deep")
        try expectOneLine(["estimate", "--model", "llama-3.1-8b", "--cluster", path] + Self.workload,
                          "d.yaml: nested more than 64 levels deep")
    }

    @Test func aliasBombAndNestedMappingsAsModelFiles() throws {
        let folder = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let bomb = try Self.write(Self.aliasBomb, "bomb.yaml", in: folder)
        try expectOneLine(["describe", "--model", bomb], "bomb.yaml: holds more than 100000 YAML nodes")
        try expectOneLine(["estimate", "--model", "llama-3.1-8b", "--cluster", bomb] + Self.workload,
                          "bomb.yaml: holds more than 100000 YAML nodes")
        let nested = try Self.write(Self.nestedMappings, "nested.yaml", in: folder)
        try expectOneLine(["describe", "--model", nested], "nested.yaml: nested more than 64 levels deep")
    }

    @Test func fiftyMegabyteJSONArray() throws {
        let folder = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        // "[1,1,...,1,1]": 1 + 50 x 1,000,000 + 2 = 50,000,003 bytes, written in 1 MB chunks (cheap,
        // so that this test does not load the machine under the timing tests running beside it).
        let url = folder.appendingPathComponent("big.json")
        #expect(FileManager.default.createFile(atPath: url.path, contents: Data("[".utf8)))
        let handle = try #require(FileHandle(forWritingAtPath: url.path))
        try handle.seekToEnd()
        let chunk = Data(String(repeating: "1,", count: 500_000).utf8)
        for _ in 0..<50 { try handle.write(contentsOf: chunk) }
        try handle.write(contentsOf: Data("1]".utf8))
        try handle.close()
        try expectOneLine(["describe", "--model", url.path],
                          "big.json: is 50000003 bytes, more than the limit of 4194304 bytes (4 MiB)")
        try expectOneLine(["compare-collectives", "--bench", url.path, "--cluster", "dgx-h100"],
                          "big.json: is 50000003 bytes, more than the limit")
    }

    @Test func badFilesInTheSearchPathAreSkippedByClusters() throws {
        let folder = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try Self.write(Self.deep, "deep.yaml", in: folder)
        _ = try Self.write(Self.aliasBomb, "bomb.yaml", in: folder)
        let result = try CLIRunner.run(["clusters"], extraEnvironment: ["LOOM_TOPOLOGIES": folder.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("dgx-h100 "))
        let warnings = result.stderr.split(separator: "\n")
        #expect(warnings.count == 2, "\(result.stderr)")
        #expect(warnings.contains { $0.contains("skipped \(folder.path)/deep.yaml: nested more than 64 levels deep") })
        #expect(warnings.contains { $0.contains("skipped \(folder.path)/bomb.yaml: holds more than") })
    }

    @Test(arguments: [
        ("matmul_half_efficiency_dim: 160", "matmul_half_efficiency_dim: 1e308",
         "accelerator.matmul_half_efficiency_dim is 1e+308, must be between 0 and 1000000"),
        ("memory_bandwidth_gbps: 3350", "memory_bandwidth_gbps: 5e-324",
         "accelerator.memory_bandwidth_gbps is 5e-324, must be between 0.001 and 1000000"),
        ("memory_bandwidth_gbps: 3350", "memory_bandwidth_gbps: \"1e308\"",
         "accelerator.memory_bandwidth_gbps must be a number, got the quoted string '1e308'"),
    ])
    func topologyNumbersOutsideTheirRange(original: String, replacement: String, expected: String) throws {
        let folder = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let preset = try String(contentsOf: CLIRunner.repositoryRoot.appendingPathComponent("Topologies/dgx-h100.yaml"),
                                encoding: .utf8)
        #expect(preset.contains(original))
        let path = try Self.write(preset.replacingOccurrences(of: original, with: replacement), "t.yaml", in: folder)
        try expectOneLine(["estimate", "--model", "llama-3.1-8b", "--cluster", path, "--format", "json"] + Self.workload,
                          expected)
    }

    @Test func negativeSharedExpertSizeInAConfig() throws {
        let folder = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let fixture = CLIRunner.repositoryRoot.appendingPathComponent("Tests/WorkloadsTests/Fixtures/huggingface/Qwen1.5-MoE-A2.7B.json")
        let text = try String(contentsOf: fixture, encoding: .utf8)
        #expect(text.contains("\"shared_expert_intermediate_size\": 5632"))
        let path = try Self.write(text.replacingOccurrences(of: "\"shared_expert_intermediate_size\": 5632",
                                                            with: "\"shared_expert_intermediate_size\": -1"),
                                  "config.json", in: folder)
        try expectOneLine(["describe", "--model", path], "key 'shared_expert_intermediate_size' must be a non-negative integer")
    }

    @Test func benchmarkRowsOutOfOrderAndFitsTheTimesDoNotFollow() throws {
        let folder = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        func document(_ rows: [(Int, Double, Double, Double)]) -> String {
            let results = rows.map { "{\"bytes\": \($0.0), \"time_us\": {\"min\": \($0.1), \"avg\": \($0.2), \"max\": \($0.3)}, \"wrong\": 0}" }
            return "{\"collective\": \"allreduce\", \"ranks\": 2, \"results\": [\(results.joined(separator: ", "))], "
                + "\"environment\": {\"hosts\": 1, \"ranks_per_host\": 2}}"
        }
        let unordered = try Self.write(document([(1024, 2, 1, 3), (2048, 2, 2.5, 3)]), "unordered.json", in: folder)
        let out = folder.appendingPathComponent("x.yaml").path
        try expectOneLine(["calibrate", "--bench", unordered, "--base", "dgx-h100", "--out", out],
                          "results[0].time_us at 1024 bytes has min 2.0, avg 1.0, max 3.0: must satisfy min <= avg <= max")
        // Times alternating 10 us and 300 us with size (growing from first to last): R^2 0.05 on
        // log times, below a stated minimum of 0.5.
        let zigzag = (10...17).map { exponent -> (Int, Double, Double, Double) in
            let time = exponent.isMultiple(of: 2) ? 10.0 : 300.0
            return (1 << exponent, time, time, time)
        }
        let bad = try Self.write(document(zigzag), "zigzag.json", in: folder)
        try expectOneLine(["calibrate", "--bench", bad, "--base", "dgx-h100", "--out", out, "--min-r2", "0.5"],
                          "has R^2 0.052 on log times")
        try expectOneLine(["calibrate", "--bench", bad, "--base", "dgx-h100", "--out", out, "--min-r2", "nan"],
                          "--min-r2 nan must be a finite number at most 1")
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test func versionIsPrinted() throws {
        let result = try CLIRunner.run(["--version"])
        #expect(result.status == 0)
        let version = result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(version.split(separator: ".").count == 3 && version.split(separator: ".").allSatisfy { Int($0) != nil },
                "\(version)")
    }
}

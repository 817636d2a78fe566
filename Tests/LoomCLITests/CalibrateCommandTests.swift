import Foundation
import Testing

/// `loom calibrate` and `loom compare-collectives` end to end: benchmark JSON in, a topology file
/// that estimate reads out, one-line errors on bad input, and (where mpirun and loom-bench are
/// available) a real run on this host.
@Suite struct CalibrateCommandTests {
    /// A scratch folder, removed by the caller.
    static func scratch() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("loom-calibrate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A loom-bench JSON document whose times follow the alpha-beta line of `collective` (two
    /// ranks: all-reduce has 2 latency steps and bus factor 1; the others 1 and 1 or 1/2).
    static func bench(_ collective: String = "allreduce", ranks: Int = 2, hosts: Int = 1, alphaUs: Double,
                      busGBps: Double, sizes: [Int] = (10...24).map { 1 << $0 }) -> String {
        let steps = collective == "allreduce" ? 2.0 : 1.0
        let factor = ["allgather", "reducescatter", "alltoall"].contains(collective) ? 0.5 : 1.0
        let rows = sizes.map { bytes -> String in
            let t = alphaUs * steps + factor * Double(bytes) / (busGBps * 1e3)
            return "{\"bytes\": \(bytes), \"count\": \(bytes / 4), \"dtype\": \"float\", "
                + "\"time_us\": {\"min\": \(t), \"avg\": \(t), \"max\": \(t)}, \"algbw_gbps\": 0, \"busbw_gbps\": 0, \"wrong\": 0}"
        }
        let names = (0..<hosts).map { "\"node\($0)\"" }.joined(separator: ", ")
        return "{\"collective\": \"\(collective)\", \"ranks\": \(ranks), \"results\": [\(rows.joined(separator: ", "))], "
            + "\"environment\": {\"mpi_library\": \"Open MPI v4.1.4\", \"hosts\": \(hosts), "
            + "\"ranks_per_host\": \(max(1, ranks / hosts)), \"host_names\": [\(names)], \"date\": \"2026-11-22T01:00:00Z\"}}"
    }

    static func write(_ text: String, _ name: String, in folder: URL) throws -> String {
        let url = folder.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    @Test func calibrateWritesATopologyThatEstimateAndCompareUse() throws {
        let folder = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let bench = try Self.write(Self.bench(alphaUs: 1.25, busGBps: 6), "allreduce.json", in: folder)
        let out = folder.appendingPathComponent("my-node.yaml").path
        let result = try CLIRunner.run(["calibrate", "--bench", bench, "--base", "dgx-h100", "--out", out, "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let report = try #require(try CLIRunner.json(result) as? [String: Any])
        #expect(report["topology"] as? String == "my-node")
        let fit = try #require((report["fits"] as? [[String: Any]])?.first)
        #expect(abs((fit["alpha_us"] as? Double ?? 0) - 1.25) < 1e-6)
        #expect(abs((fit["bus_bandwidth_gbps"] as? Double ?? 0) - 6) < 1e-6)
        #expect((fit["r_squared"] as? Double ?? 0) > 0.999_999)
        #expect((fit["points"] as? [[String: Any]])?.count == 15)
        let yaml = try String(contentsOfFile: out, encoding: .utf8)
        #expect(yaml.contains("tier: \"scale_up\"") && yaml.contains("provenance:"))

        let estimate = try CLIRunner.run(["estimate", "--model", "llama-3.1-8b", "--cluster", out, "--gpus", "8",
                                          "--tp", "8", "--pp", "1", "--micro-batch", "1", "--global-batch", "8",
                                          "--format", "json"])
        #expect(estimate.status == 0, "\(estimate.stderr)")

        let compare = try CLIRunner.run(["compare-collectives", "--bench", bench, "--cluster", out, "--format", "json"])
        #expect(compare.status == 0, "\(compare.stderr)")
        let document = try #require(try CLIRunner.json(compare) as? [String: Any])
        let rows = try #require(document["rows"] as? [[String: Any]])
        #expect(rows.count == 15)
        for row in rows {
            #expect(Set(row.keys) == ["collective", "bytes", "ranks", "measured_us", "predicted_us", "error"])
        }
        #expect((document["median_abs_error"] as? Double ?? 1) < 1e-6)

        let table = try CLIRunner.run(["calibrate", "--bench", bench, "--base", "dgx-h100", "--out", out])
        #expect(table.status == 0 && table.stdout.contains("residuals per size") && table.stdout.contains("R^2"))
    }

    /// A slower fabric, measured across hosts, gives a longer exposed DP time (Llama-3.1-8B on two
    /// DGX H100 nodes, TP 8 inside each node, DP 2 across them).
    @Test func slowerFabricGivesLongerExposedDataParallelTime() throws {
        let folder = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        func calibrated(_ name: String, alphaUs: Double, busGBps: Double) throws -> String {
            let benches = try ["allreduce", "reducescatter", "allgather"].map {
                try Self.write(Self.bench($0, hosts: 2, alphaUs: alphaUs, busGBps: busGBps), "\(name)-\($0).json", in: folder)
            }
            let out = folder.appendingPathComponent("\(name).yaml").path
            let result = try CLIRunner.run(["calibrate", "--bench"] + benches + ["--base", "dgx-h100", "--out", out])
            #expect(result.status == 0, "\(result.stderr)")
            return out
        }
        func exposedDP(_ cluster: String) throws -> Double {
            let result = try CLIRunner.run(["estimate", "--model", "llama-3.1-8b", "--cluster", cluster, "--gpus", "16",
                                            "--tp", "8", "--pp", "1", "--micro-batch", "1", "--global-batch", "64",
                                            "--format", "json"])
            #expect(result.status == 0, "\(result.stderr)")
            let document = try #require(try CLIRunner.json(result) as? [String: Any])
            return try #require((document["time"] as? [String: Any])?["dp_comm"] as? Double)
        }
        let fast = try exposedDP(try calibrated("fast", alphaUs: 5, busGBps: 10))
        let slow = try exposedDP(try calibrated("slow", alphaUs: 50, busGBps: 0.5))
        #expect(slow > fast, "slow \(slow) s vs fast \(fast) s")
        #expect(fast > 0)
    }

    static let badInputs: [(files: [String: String], arguments: [String], expected: String)] = [
        (["a.json": ""], ["--bench", "a.json"], "is empty"),
        (["a.json": "{\"collective\": [1, 2"], ["--bench", "a.json"], "is not JSON"),
        (["a.json": bench(alphaUs: 1, busGBps: 1, sizes: [4096])], ["--bench", "a.json"], "only one message size"),
        (["a.json": bench(alphaUs: -100, busGBps: 1)], ["--bench", "a.json"], "must be a positive time"),
        (["a.json": "{\"collective\": \"allreduce\", \"ranks\": 2, \"environment\": {\"hosts\": 1}, \"results\": ["
            + "{\"bytes\": 1024, \"time_us\": {\"min\": 0, \"avg\": 0, \"max\": 0}}]}"],
         ["--bench", "a.json"], "time_us.min is 0.0"),
        (["a.json": bench(ranks: 2, alphaUs: 1, busGBps: 1), "b.json": bench(ranks: 4, alphaUs: 1, busGBps: 1)],
         ["--bench", "a.json", "b.json"], "mixed rank counts"),
        ([:], ["--bench", "missing.json"], "no such benchmark file"),
        ([:], [], "--bench needs at least one"),
        (["a.json": bench(alphaUs: 1, busGBps: 1)], ["--bench", "a.json", "--time", "median"], "--time 'median'"),
        (["a.json": bench(alphaUs: 1, busGBps: 1)], ["--bench", "a.json", "--link-rate", "fast"], "--link-rate 'fast'"),
    ]

    @Test(arguments: badInputs)
    func badInputGivesOneLineAndNonZeroExit(files: [String: String], arguments: [String], expected: String) throws {
        let folder = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        for (name, text) in files { _ = try Self.write(text, name, in: folder) }
        let located = arguments.map { $0.hasSuffix(".json") ? folder.appendingPathComponent($0).path : $0 }
        let out = folder.appendingPathComponent("out.yaml").path
        for command in [["calibrate"] + located + ["--base", "dgx-h100", "--out", out],
                        ["compare-collectives"] + located + ["--cluster", "dgx-h100"]] {
            let result = try CLIRunner.run(command)
            if command[0] == "compare-collectives", expected == "mixed rank counts" || expected == "only one message size"
                || expected.hasPrefix("--link-rate") {
                continue   // comparing such files is fine; the option is calibrate's
            }
            #expect(result.status != 0, "\(command)")
            let lines = result.stderr.split(separator: "\n")
            #expect(lines.count == 1 && lines.first?.hasPrefix("loom: error: ") == true, "\(result.stderr)")
            #expect(result.stderr.contains(expected), "\(result.stderr)")
            #expect(!FileManager.default.fileExists(atPath: out))
        }
    }

    @Test func badOutPathsAreRefusedBeforeAnythingIsRead() throws {
        for (out, expected) in [("/tmp/calibrated.txt", "must be a .yaml file"),
                                ("/nonexistent-folder/x.yaml", "does not exist")] {
            let result = try CLIRunner.run(["calibrate", "--bench", "x.json", "--base", "dgx-h100", "--out", out])
            #expect(result.status != 0)
            #expect(result.stderr.contains(expected) && result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
        }
    }

    /// On this host, when mpirun and loom-bench are here: calibrate from one run, compare a second.
    /// The machine may be shared, so this checks the pipeline, not the accuracy target (that is
    /// Benchmarks/calibration/host-calibrate.sh, whose figures CALIBRATION.md records).
    @Test(.enabled(if: LiveBench.available, "needs mpirun (OpenMPI) and a built loom-bench"),
          .timeLimit(.minutes(2)))
    func calibrateOneRunAndCompareASecondOnThisHost() throws {
        let folder = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        var runs: [String] = []
        for index in 1...2 {
            let path = folder.appendingPathComponent("run\(index).json").path
            let result = try LiveBench.run(["/usr/bin/timeout", "45", "mpirun", "--allow-run-as-root",
                                            "--oversubscribe", "-np", "2", LiveBench.benchPath, "allreduce",
                                            "--min-bytes", "1K", "--max-bytes", "4M", "--iters", "20",
                                            "--warmup", "5", "--format", "json", "--out", path])
            try #require(result.status == 0, "loom-bench run \(index): \(result.stderr)")
            runs.append(path)
        }
        let out = folder.appendingPathComponent("this-host.yaml").path
        let calibrate = try CLIRunner.run(["calibrate", "--bench", runs[0], "--base", "dgx-h100", "--out", out])
        #expect(calibrate.status == 0, "\(calibrate.stderr)")
        let compare = try CLIRunner.run(["compare-collectives", "--bench", runs[1], "--cluster", out, "--format", "json"])
        #expect(compare.status == 0, "\(compare.stderr)")
        let document = try #require(try CLIRunner.json(compare) as? [String: Any])
        // 1K to 4M doubling: 13 sizes. Up to 4M the bandwidth term shows even on a loaded machine
        // (up to 256K the shared-memory times were flat under load, R^2 < 0, and calibrate refused).
        #expect((document["rows"] as? [[String: Any]])?.count == 13)
        let median = try #require(document["median_abs_error"] as? Double)
        #expect(median.isFinite && median >= 0)
    }

    /// Across two network-namespace hosts with `tc tbf` links (Benchmarks/calibration/
    /// netns-calibrate.sh, 10.78.0.0/24 inside the namespaces only): calibrate at 100 and
    /// 400 Mbit/s, predict 200 Mbit/s. A few sizes of one collective, to stay short: this checks the
    /// pipeline and the rate model loosely; the script's full run measures the target.
    @Test(.enabled(if: LiveBench.namespaces, "needs root, iproute2 (ip, tc), mpirun and a built loom-bench"),
          .timeLimit(.minutes(5)))
    func linkRateModelPredictsAThirdRateAcrossNamespaceHosts() throws {
        // Accuracy bound: the script fails when the median |error| of the prediction at 200 Mbit/s
        // exceeds 0.4. A rate model wrong by 2x gives |error| >= 0.5 on bandwidth-bound sizes
        // (predicting half the time: -0.5; twice: +1.0), so 0.4 still fails it. Sizes 256 KB-2 MB
        // take 10-84 ms per message at 200 Mbit/s, so the few milliseconds of scheduling delay a
        // loaded 2-core machine adds to a message stay well inside the margin (at 64-512 KB they
        // did not: 0.57-0.69 measured under load). A second attempt absorbs one run spoiled by a
        // burst of load; a wrong model fails both.
        var attempts: [CLIResult] = []
        var folders: [URL] = []
        defer { for folder in folders { try? FileManager.default.removeItem(at: folder) } }
        for _ in 0..<2 {
            let folder = try Self.scratch()
            folders.append(folder)
            let result = try LiveBench.run(["/usr/bin/timeout", "120", LiveBench.netnsScript, "--collectives", "sendrecv",
                                            "--min-bytes", "256K", "--max-bytes", "2M", "--iters", "5", "--target", "0.4",
                                            "--out", folder.path, "--build-dir", CLIRunner.productsDirectory.path])
            attempts.append(result)
            // Torn down: none of this run's namespaces (lc<pid of the script>-...) is left; other
            // processes' runs of the script may have theirs at the same time.
            let prefix = try #require(Self.namespacePrefix(result.stdout), "no namespace prefix in: \(result.stdout)")
            let namespaces = try LiveBench.run(["/bin/sh", "-c", "ip netns list | grep -c '^\(prefix)-' || true"])
            #expect(namespaces.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "0", "\(prefix): \(namespaces.stdout)")
            if result.status == 0 { break }
        }
        let last = try #require(attempts.last)
        #expect(last.status == 0, "\(attempts.map { $0.stdout + $0.stderr }.joined(separator: "\n---\n"))")
        guard last.status == 0, let folder = folders.last else { return }
        let compare = try Data(contentsOf: folder.appendingPathComponent("compare.json"))
        let document = try #require(try JSONSerialization.jsonObject(with: compare) as? [String: Any])
        #expect((document["rows"] as? [[String: Any]])?.count == 4)
        let yaml = try String(contentsOf: folder.appendingPathComponent("calibrated.yaml"), encoding: .utf8)
        #expect(yaml.contains("tier: \"scale_out\"") && yaml.contains("200mbit"))
    }

    /// The `lc<pid>` the namespace script names on its first line.
    static func namespacePrefix(_ stdout: String) -> String? {
        for line in stdout.split(separator: "\n") where line.hasPrefix("namespace prefix: ") {
            let prefix = line.dropFirst("namespace prefix: ".count)
            if prefix.hasPrefix("lc"), prefix.dropFirst(2).allSatisfy(\.isNumber), prefix.count > 2 { return String(prefix) }
        }
        return nil
    }
}

/// mpirun and the loom-bench binary built beside loom.
enum LiveBench {
    static var benchPath: String { CLIRunner.productsDirectory.appendingPathComponent("loom-bench").path }

    static let available: Bool = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        let mpirun = path.split(separator: ":").contains { FileManager.default.isExecutableFile(atPath: "\($0)/mpirun") }
        return mpirun && FileManager.default.isExecutableFile(atPath: benchPath)
            && FileManager.default.isExecutableFile(atPath: "/usr/bin/timeout")
    }()

    static var netnsScript: String {
        CLIRunner.repositoryRoot.appendingPathComponent("Benchmarks/calibration/netns-calibrate.sh").path
    }

    /// Whether the namespace script can run here (root, namespaces, veth pairs, mpirun).
    static let namespaces: Bool = {
        guard available, let probe = try? run([netnsScript, "probe"]) else { return false }
        return probe.status == 0
    }()

    /// Runs a program (output to files, so a chatty run cannot block on a pipe).
    static func run(_ command: [String]) throws -> CLIResult {
        let folder = try CalibrateCommandTests.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let outURL = folder.appendingPathComponent("stdout"), errURL = folder.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: command.first ?? "/bin/false")
        process.arguments = Array(command.dropFirst())
        process.standardOutput = out
        process.standardError = err
        try process.run()
        process.waitUntilExit()
        try? out.close()
        try? err.close()
        return CLIResult(status: process.terminationStatus,
                         stdout: (try? String(contentsOf: outURL, encoding: .utf8)) ?? "",
                         stderr: (try? String(contentsOf: errURL, encoding: .utf8)) ?? "")
    }
}

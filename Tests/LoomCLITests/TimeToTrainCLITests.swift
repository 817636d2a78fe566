import Foundation
import Testing

@Suite struct TimeToTrainCLITests {
    static let llama8B = ["estimate", "--model", "llama-3.1-8b", "--cluster", "dgx-h100", "--gpus", "1024", "--tp", "1",
                          "--micro-batch", "1", "--global-batch", "1024", "--seq", "8192", "--zero", "1",
                          "--recompute", "full"]

    /// Time to train = tokens / (tokens/s x goodput), the goodput worked out by hand from Daly 2006.
    ///
    /// Llama 3.1 8B on 1,024 H100s (128 DGX hosts), 1T tokens, blocking checkpoints, defaults:
    /// - failure rate (Llama 3): 419 / (16,384 x 54 x 24 GPU-hours) = 1.9733e-5 per GPU-hour, so
    ///   M = 3600 / (1,024 x 1.9733e-5) = 178,160 s (49.5 h);
    /// - checkpoint 8,030,261,248 x 14 bytes = 112.42 GB written at 128 hosts x 0.9766 GB/s = 125 GB/s:
    ///   delta = 0.8994 s, also the reload;
    /// - R = 600 s detection + 300 s restart + 0.8994 s reload = 900.9 s;
    /// - Daly: tau = sqrt(2 delta M) (1 + sqrt(delta/2M)/3 + delta/(18M)) - delta = 565.5 s;
    /// - goodput = tau / (M e^(R/M) (e^((tau + delta)/M) - 1)) = 565.5 / (178,160 x 1.00507 x 0.0031842) = 0.9918.
    @Test func estimateTimeIsTokensOverThroughputTimesGoodput() throws {
        let result = try CLIRunner.run(Self.llama8B + ["--train-tokens", "1T", "--price-per-gpu-hour", "2", "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(try CLIRunner.json(result) as? [String: Any])
        // Every contract field stays.
        for key in ["step_time_s", "tokens_per_s", "tflops_per_gpu", "mfu", "hfu", "fits", "memory", "time", "layout"] {
            #expect(json[key] != nil, "missing \(key)")
        }
        let t = try #require(json["time_to_train"] as? [String: Any])
        let tokensPerS = try #require(json["tokens_per_s"] as? Double)
        let M = 3600 / (1024 * 419 / (16_384.0 * 54 * 24))
        let bytes = 8_030_261_248.0 * 14
        let delta = bytes / (128 * 2000 / 2048 * 1e9)
        let R = 600 + 300 + delta
        let ratio = delta / (2 * M)
        let tau = (2 * delta * M).squareRoot() * (1 + ratio.squareRoot() / 3 + ratio / 9) - delta
        let goodput = tau / (M * exp(R / M) * expm1((tau + delta) / M))
        #expect(abs(M - 178_160) < 5)
        #expect(abs(goodput - 0.9918) < 0.0005)
        #expect(t["checkpoint_bytes"] as? Double == bytes)
        #expect(abs((t["checkpoint_write_s"] as? Double ?? 0) - delta) < 1e-9)
        #expect(abs((t["checkpoint_interval_s"] as? Double ?? 0) - tau) < 1e-6)
        #expect(abs((t["goodput"] as? Double ?? 0) - goodput) < 1e-9)
        let ideal = 1e12 / tokensPerS / 86_400
        #expect(abs((t["ideal_days"] as? Double ?? 0) / ideal - 1) < 1e-12)
        #expect(abs((t["expected_days"] as? Double ?? 0) / (ideal / goodput) - 1) < 1e-9)
        // GPU-hours x 2 per GPU-hour; interruptions = expected wall time / M.
        #expect(abs((t["expected_cost"] as? Double ?? 0) / (2 * 1024 * ideal / goodput * 24) - 1) < 1e-9)
        #expect(abs((t["expected_interruptions"] as? Double ?? 0) - ideal / goodput * 86_400 / M) < 1e-6)
    }

    @Test func tableShowsTheTimeToTrain() throws {
        let result = try CLIRunner.run(Self.llama8B + ["--train-tokens", "1T", "--checkpoint-mode", "async"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("time to train  1T tokens"))
        #expect(result.stdout.contains("checkpoint     async"))
    }

    @Test func withoutTrainTokensTheJSONIsUnchanged() throws {
        let result = try CLIRunner.run(Self.llama8B + ["--format", "json"])
        let json = try #require(try CLIRunner.json(result) as? [String: Any])
        #expect(json["time_to_train"] == nil)
    }

    @Test(arguments: [
        (["--train-tokens", "15Q"], "15Q"),
        (["--train-tokens", "1e300"], "1e300"),
        (["--train-tokens", "1T", "--mtbf", "0"], "--mtbf"),
        (["--train-tokens", "1T", "--mtbf=-5"], "--mtbf"),
        (["--train-tokens", "1T", "--checkpoint-bandwidth", "0"], "--checkpoint-bandwidth"),
        (["--train-tokens", "1T", "--restart-minutes=-1"], "--restart-minutes"),
        (["--mtbf", "500"], "--train-tokens"),
    ])
    func badInputIsOneLine(arguments: [String], names: String) throws {
        let result = try CLIRunner.run(Self.llama8B + arguments)
        #expect(result.status != 0)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(result.stderr)")
        #expect(result.stderr.contains(names), "\(result.stderr)")
    }

    @Test func planRanksByTimeToTrain() throws {
        let result = try CLIRunner.run(["plan", "--model", "llama-3.1-8b", "--cluster", "dgx-h100", "--gpus", "1024",
                                        "--global-batch", "1024", "--seq", "8192", "--tp", "1", "--pp", "1", "--cp", "1",
                                        "--zero", "1", "--micro-batch", "1", "--train-tokens", "1T",
                                        "--objective", "time-to-train", "--mtbf", "500", "--restart-minutes", "60",
                                        "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(try CLIRunner.json(result) as? [String: Any])
        let plans = try #require(json["plans"] as? [[String: Any]])
        let days = plans.compactMap { ($0["time_to_train"] as? [String: Any])?["expected_days"] as? Double }
        #expect(days.count == plans.count)
        #expect(days == days.sorted())
        #expect((plans.first?["layout"] as? [String: Any])?["gpus"] as? Int == 512)
    }

    @Test func planTimeToTrainNeedsTokens() throws {
        let result = try CLIRunner.run(["plan", "--model", "llama-3.1-8b", "--cluster", "dgx-h100", "--gpus", "64",
                                        "--global-batch", "64", "--objective", "time-to-train"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("--train-tokens"))
    }
}

/// `simulate --train-tokens`: the checkpoint save on the trace.
@Suite struct SimulateCheckpointTraceTests {
    @Test func theBlockingSaveFollowsTheStepOnEveryStage() throws {
        let trace = FileManager.default.temporaryDirectory.appendingPathComponent("loom-ckpt-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: trace) }
        let result = try CLIRunner.run(["simulate", "--model", "llama-3.1-8b", "--cluster", "dgx-h100", "--gpus", "64",
                                        "--tp", "2", "--pp", "2", "--micro-batch", "1", "--global-batch", "64",
                                        "--seq", "8192", "--zero", "1", "--train-tokens", "1T", "--checkpoint-mode", "async",
                                        "--trace", trace.path, "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(try CLIRunner.json(result) as? [String: Any])
        let step = try #require(json["simulated_step_time_s"] as? Double)
        let time = try #require(json["time_to_train"] as? [String: Any])
        let blocking = try #require(time["checkpoint_blocking_s"] as? Double)
        let write = try #require(time["checkpoint_write_s"] as? Double)
        let interval = try #require(time["checkpoint_interval_s"] as? Double)
        // Whole steps between saves: round(interval / step).
        #expect(json["checkpoint_interval_steps"] as? Int == Int((interval / step).rounded()))
        let document = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: trace)) as? [String: Any])
        let events = try #require(document["traceEvents"] as? [[String: Any]])
        let tasks = events.filter { $0["ph"] as? String == "X" && $0["cat"] as? String != "checkpoint" }
        let end = tasks.map { ($0["ts"] as? Double ?? 0) + ($0["dur"] as? Double ?? 0) }.max() ?? 0
        let saves = events.filter { ($0["name"] as? String)?.hasPrefix("checkpoint save") == true }
        let writes = events.filter { ($0["name"] as? String)?.hasPrefix("checkpoint write") == true }
        // One per pipeline stage, right after the step's last task; the async write follows the copy.
        #expect(saves.count == 2 && writes.count == 2)
        for save in saves {
            #expect(abs((save["ts"] as? Double ?? 0) - step * 1e6) < 0.01)
            #expect(abs((save["ts"] as? Double ?? 0) - end) < 0.01)
            #expect(abs((save["dur"] as? Double ?? 0) - blocking * 1e6) < 0.01)
        }
        for event in writes {
            #expect(abs((event["ts"] as? Double ?? 0) - (step + blocking) * 1e6) < 0.01)
            #expect(abs((event["dur"] as? Double ?? 0) - write * 1e6) < 0.01)
        }
    }
}

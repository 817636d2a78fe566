import Foundation
import Testing

/// `loom plan` end to end. Searches are kept small (the 1.7B Megatron GPT on 16 GPUs, or fixed TP and
/// recomputation) because the test binary is a debug build.
@Suite struct PlanCommandTests {
    static let small = ["plan", "--model", "megatron-1.7b", "--cluster", "dgx-a100-80gb", "--gpus", "16",
                        "--global-batch", "64", "--seq", "1024"]

    @Test func jsonHasTheContractFields() throws {
        let result = try CLIRunner.run(Self.small + ["--top", "3", "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(try CLIRunner.json(result) as? [String: Any])
        let plans = try #require(json["plans"] as? [[String: Any]])
        #expect(plans.count == 3)
        #expect((json["evaluated"] as? Int ?? 0) > 0)
        #expect(json["pruned"] as? Int != nil)
        #expect(json["search_seconds"] as? Double != nil)
        for plan in plans {
            for key in ["step_time_s", "tokens_per_s", "mfu", "fits", "memory", "time", "layout"] {
                #expect(plan[key] != nil, "missing \(key)")
            }
        }
        let speeds = plans.compactMap { $0["tokens_per_s"] as? Double }
        #expect(speeds == speeds.sorted(by: >))
    }

    /// Given flags fix their dimensions; recomputation is fixed by its flag or by `--recipe`.
    @Test(arguments: [["--recompute", "selective"], ["--recipe", "recompute=selective"]])
    func layoutFlagsFixDimensions(recompute: [String]) throws {
        let result = try CLIRunner.run(Self.small + ["--tp", "2"] + recompute + ["--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(try CLIRunner.json(result) as? [String: Any])
        let plans = try #require(json["plans"] as? [[String: Any]])
        #expect(!plans.isEmpty)
        for plan in plans {
            let layout = try #require(plan["layout"] as? [String: Any])
            #expect(layout["tp"] as? Int == 2)
            #expect(layout["recompute"] as? String == "selective")
        }
    }

    @Test func tableListsPlansExplanationAndSearchRate() throws {
        let result = try CLIRunner.run(Self.small + ["--top", "2"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("tokens/s"))
        #expect(result.stdout.contains("runner-up"))
        #expect(result.stdout.contains("layouts/s)"))
        #expect(result.stdout.contains("evaluated "))
    }

    @Test func emitsLaunchArguments() throws {
        let megatron = try CLIRunner.run(Self.small + ["--top", "1", "--emit", "megatron"])
        #expect(megatron.status == 0, "\(megatron.stderr)")
        #expect(megatron.stdout.contains("# megatron-core 0.19.x"))
        #expect(megatron.stdout.contains("--micro-batch-size") && megatron.stdout.contains("--global-batch-size 64"))
        #expect(megatron.stdout.contains("--seq-length 1024") && megatron.stdout.contains("--bf16"))
        // --emit torchtitan ranks under torchtitan's profile and prints its 0.3.0 CLI.
        let llama = ["plan", "--model", "llama-3.1-8b", "--cluster", "dgx-h100", "--gpus", "8", "--global-batch", "64",
                     "--seq", "4096", "--tp", "1", "--pp", "1", "--cp", "1", "--zero", "3", "--top", "1"]
        let titan = try CLIRunner.run(llama + ["--emit", "torchtitan", "--format", "json"])
        let json = try #require(try CLIRunner.json(titan) as? [String: Any])
        #expect((json["launch"] as? String)?.contains("--module llama3 --config llama3_8b") == true)
        let plans = try #require(json["plans"] as? [[String: Any]])
        #expect((plans.first?["layout"] as? [String: Any])?["framework"] as? String == "torchtitan")
        let deepspeed = try CLIRunner.run(Self.small + ["--top", "1", "--emit", "deepspeed", "--framework", "megatron-deepspeed"])
        #expect(deepspeed.stdout.contains("\"train_batch_size\" : 64"))
        // A model torchtitan's registry lacks: one error line, no other configuration.
        let missing = try CLIRunner.run(Self.small + ["--top", "1", "--emit", "torchtitan"])
        #expect(missing.status != 0 && missing.stderr.contains("no torchtitan 0.3.0 registry configuration"))
        #expect(missing.stderr.split(separator: "\n").count == 1)
    }

    /// `--emit-dir` writes a scripts/check-emit.sh case: case.json and each framework's files.
    @Test func emitDirWritesAHarnessCase() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("loom-emit-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let run = try CLIRunner.run(Self.small + ["--top", "1", "--emit-dir", dir.path])
        #expect(run.status == 0, "\(run.stderr)")
        let info = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("case.json"))) as? [String: Any])
        #expect(info["world_size"] as? Int == 16 && info["gpu_arch_major"] as? Int == 8 && info["accelerators_per_node"] as? Int == 8)
        let args = try String(contentsOf: dir.appendingPathComponent("megatron.args"), encoding: .utf8)
        #expect(args.contains("--num-layers") && args.contains("--global-batch-size 64"))
        // megatron-1.7b is not in torchtitan's registry: no file, one line saying so.
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("torchtitan.args").path))
        let unsupported = try String(contentsOf: dir.appendingPathComponent("unsupported.txt"), encoding: .utf8)
        #expect(unsupported.contains("--emit torchtitan"))
    }

    @Test func badInputsGiveOneLine() throws {
        let cases: [([String], String)] = [
            (Self.small + ["--tp", "3"], "--gpus 16 is not divisible by tp x pp x cp = 3 x 1 x 1"),
            (["plan", "--model", "gpt3-175b", "--cluster", "dgx-a100-80gb", "--gpus", "8", "--global-batch", "64",
              "--seq", "2048", "--zero", "0", "--recompute", "full", "--tp", "8"], "GPUs would fit"),
            (Self.small + ["--top", "0"], "--top 0 must be between 1 and 1000"),
            (Self.small + ["--vpp", "9223372036854775807", "--pp", "2"], "--vpp 9223372036854775807 is too large"),
            (Self.small + ["--micro-batch", "9223372036854775807"], "--micro-batch 9223372036854775807"),
            (Self.small + ["--cp", "9223372036854775807"], "9223372036854775807"),
            (Array(Self.small.dropLast(4)) + ["--global-batch", "1000000000"], "--global-batch 1000000000 must be between"),
            (Self.small + ["--max-memory-fraction", "0"], "--max-memory-fraction"),
            (["plan", "--model", "megatron-1.7b", "--cluster", "dgx-a100-80gb", "--gpus", "12", "--global-batch", "64"], "--gpus 12"),
        ]
        for (arguments, expected) in cases {
            let result = try CLIRunner.run(arguments)
            #expect(result.status != 0, "\(arguments)")
            #expect(result.stderr.contains(expected), "\(arguments): \(result.stderr)")
            #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
            #expect(!result.stderr.contains("Fatal error"))
        }
    }
}

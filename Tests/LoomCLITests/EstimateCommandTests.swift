import Foundation
import Testing

@Suite struct EstimateCommandTests {
    static let gpt3 = ["estimate", "--model", "gpt3-175b", "--cluster", "dgx-a100-80gb", "--gpus", "1024", "--tp", "8",
                       "--pp", "16", "--micro-batch", "1", "--global-batch", "1536", "--recompute", "full",
                       "--framework", "megatron-lm"]

    @Test func jsonHasTheContractFields() throws {
        let result = try CLIRunner.run(Self.gpt3 + ["--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(try CLIRunner.json(result) as? [String: Any])
        for key in ["step_time_s", "tokens_per_s", "tflops_per_gpu", "mfu", "hfu", "fits", "memory", "time", "layout"] {
            #expect(json[key] != nil, "missing \(key)")
        }
        let memory = try #require(json["memory"] as? [String: Any])
        for key in ["total", "weights", "gradients", "optimizer", "activations", "other", "stages"] {
            #expect(memory[key] != nil, "missing memory.\(key)")
        }
        #expect((memory["stages"] as? [Any])?.count == 16)
        let time = try #require(json["time"] as? [String: Any])
        for key in ["compute", "recompute", "bubble", "tp_comm", "pp_comm", "dp_comm", "cp_comm", "ep_comm", "optimizer"] {
            #expect(time[key] != nil, "missing time.\(key)")
        }
        let layout = try #require(json["layout"] as? [String: Any])
        #expect(layout["tp"] as? Int == 8)
        #expect(layout["dp"] as? Int == 8)
        // Tokens per step / step time: 1536 x 2048 tokens.
        let step = try #require(json["step_time_s"] as? Double)
        let tokens = try #require(json["tokens_per_s"] as? Double)
        #expect(abs(tokens * step - 1536 * 2048) < 1)
    }

    @Test func tableShowsTheMostLoadedStage() throws {
        let result = try CLIRunner.run(Self.gpt3)
        #expect(result.status == 0)
        #expect(result.stdout.contains("most loaded (stage 0)"))
        #expect(result.stdout.contains("GiB"))
    }

    @Test(arguments: [
        (["--tp", "5", "--gpus", "80", "--pp", "16"], "--tp 5 does not divide 96 attention heads"),
        (["--pp", "200", "--tp", "1", "--gpus", "200"], "--pp 200 is larger than the 96 layers"),
        (["--global-batch", "1001"], "--global-batch 1001 is not divisible by micro-batch x dp"),
        (["--gpus", "1004"], "--gpus 1004 is not a multiple of 8"),
        (["--micro-batch", "0"], "--micro-batch 0 must be a positive integer"),
        (["--zero", "7"], "--zero 7 must be 0, 1, 2 or 3"),
    ])
    func badLayoutsGetOneLine(overrides: [String], message: String) throws {
        var args = Self.gpt3
        var index = 0
        while index + 1 < overrides.count {
            if let at = args.firstIndex(of: overrides[index]) {
                args[at + 1] = overrides[index + 1]
            } else {
                args += [overrides[index], overrides[index + 1]]
            }
            index += 2
        }
        let result = try CLIRunner.run(args)
        #expect(result.status != 0)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(result.stderr)")
        #expect(result.stderr.contains(message), "\(result.stderr)")
    }
}

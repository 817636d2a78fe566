import Foundation
import Testing

/// `loom validate` as a user runs it.
@Suite struct ValidateCommandTests {
    /// A run missing a field is refused with the field; the file's other runs are predicted.
    @Test func aBrokenRunIsRefusedNotTheFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("loom-lossy-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: path) }
        try Data("""
        [{"id": "good", "source": "s", "framework": "nemo", "precision": "fp8", "model": {"preset": "llama-3.1-70b", "seq": 8192},
          "cluster": {"preset": "dgx-h100", "gpus": 64}, "layout": {"tp": 4, "pp": 4, "cp": 2, "vpp": 5, "micro_batch": 1,
          "global_batch": 128}, "reported": {"tokens_per_s_per_gpu": 1600}},
         {"id": "bad", "source": "s", "model": {"seq": 4096}, "cluster": {"preset": "dgx-h100", "gpus": 8},
          "layout": {"global_batch": 8}, "reported": {"tokens_per_s": 1000}}]
        """.utf8).write(to: path)
        let result = try CLIRunner.run(["validate", "--runs", path.path, "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(try CLIRunner.json(result) as? [String: Any])
        #expect((json["runs"] as? [[String: Any]])?.map { $0["id"] as? String } == ["good"])
        let refused = try #require((json["refused"] as? [[String: Any]])?.first)
        #expect(refused["id"] as? String == "bad")
        #expect(refused["reasons"] as? [String] == ["missing required field 'layers' at model"])
    }

    @Test func validateMeetsTheTargetsOnThePublishedRuns() throws {
        let result = try CLIRunner.run(["validate", "--runs", "Validation/published-runs.json", "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(try CLIRunner.json(result) as? [String: Any])
        let runs = try #require(json["runs"] as? [[String: Any]])
        #expect(runs.count == 22)
        #expect(runs.allSatisfy { $0["id"] != nil && $0["reported_tokens_per_s"] != nil && $0["predicted_tokens_per_s"] != nil && $0["error"] != nil })
        #expect(try #require(json["mean_abs_error"] as? Double) <= 0.05)
        #expect(try #require(json["max_abs_error"] as? Double) <= 0.10)
        let p90 = try #require(json["p90_abs_error"] as? Double)
        #expect(p90 <= (json["max_abs_error"] as? Double ?? 0))
        #expect((json["refused"] as? [Any])?.isEmpty == true)
        // Four source groups: Narayanan et al. Table 1, the GPT-3 README run, Korthikanti et al., MT-NLG.
        let groups = try #require(json["groups"] as? [[String: Any]])
        #expect(groups.count == 4)
    }

    /// Both published-runs files by default: every one of the 22 + 218 runs is either predicted
    /// or refused with a reason, none skipped.
    @Test func validateByDefaultAccountsForEveryRunOfBothFiles() throws {
        let result = try CLIRunner.run(["validate", "--flash-attention", "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(try CLIRunner.json(result) as? [String: Any])
        let runs = try #require(json["runs"] as? [[String: Any]])
        let refused = try #require(json["refused"] as? [[String: Any]])
        #expect(runs.count + refused.count == 22 + 218)
        // --flash-attention leaves the 22 Megatron-LM / Megatron-DeepSpeed runs of 2021-22 as they ran.
        let old = runs.filter {
            ["megatron-lm", "megatron-lm-2022", "megatron-deepspeed"].contains($0["framework"] as? String ?? "")
        }
        #expect(old.count == 22)
        let mean = old.compactMap { $0["error"] as? Double }.map(abs).reduce(0, +) / Double(max(old.count, 1))
        #expect(mean <= 0.05, "mean |error| of the 22 runs with --flash-attention: \(mean)")
        #expect(refused.allSatisfy { ($0["reasons"] as? [String])?.isEmpty == false })
    }

    @Test func validateTableCountsPredictedAndRefused() throws {
        let result = try CLIRunner.run(["validate", "--runs", "Validation/published-runs.json"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("predicted 22 of 22 runs, refused 0"), "\(result.stdout)")
    }

    @Test func validateRejectsAMissingRunsFile() throws {
        let result = try CLIRunner.run(["validate", "--runs", "/nonexistent/runs.json"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("/nonexistent/runs.json"))
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
    }
}

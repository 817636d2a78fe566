import Foundation
import Testing

/// `--recipe key=value` sets any training-recipe field from its descriptor
/// (`TrainingRecipe.fields`), so a field added there is reachable from every command without a
/// flag of its own; the named flags keep working and may not contradict it (`plan` holding a
/// `--recipe` recomputation fixed: `PlanCommandTests.layoutFlagsFixDimensions`).
@Suite struct RecipeOptionCLITests {
    static let estimate = ["estimate", "--model", "megatron-1.7b", "--cluster", "dgx-h100", "--gpus", "8",
                           "--global-batch", "16", "--seq", "1024", "--format", "json"]

    func recipeEcho(_ extra: [String]) throws -> [String: Any] {
        let result = try CLIRunner.run(Self.estimate + extra)
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(try CLIRunner.json(result) as? [String: Any])
        return try #require(json["recipe"] as? [String: Any])
    }

    /// Every field the JSON echo shows can be set through `--recipe`: giving each echoed value
    /// back as key=value is accepted and echoes the same recipe (a new field without a one-word
    /// form, or whose key the echo and `--recipe` spell differently, fails here).
    @Test func everyEchoedFieldIsSettableByKey() throws {
        let echo = try recipeEcho(["--framework", "torchtitan", "--precision", "fp8", "--no-flash-attention"])
        var assignments: [String] = []
        for (key, value) in echo.sorted(by: { $0.key < $1.key }) {
            let text: String
            switch value {
            case let flag as Bool: text = flag ? "true" : "false"
            case let word as String: text = word
            case let object as [String: Any]: text = try #require(object["method"] as? String, "recipe.\(key)")
            default: Issue.record("recipe.\(key) has no one-word form: \(value)"); continue
            }
            assignments += ["--recipe", "\(key)=\(text)"]
        }
        #expect(assignments.count == 2 * 14)
        let again = try recipeEcho(assignments)
        #expect(NSDictionary(dictionary: again) == NSDictionary(dictionary: echo))
    }

    /// The same knobs by key or by flag name, beside other flags.
    @Test func recipeAssignmentsSetFields() throws {
        let echo = try recipeEcho(["--optimizer", "sgd", "--recipe", "precision=fp8", "--recipe", "overlap-tp-comm=true"])
        #expect(echo["precision"] as? String == "fp8")
        #expect(echo["overlap_tp_comm"] as? Bool == true)
        #expect(echo["optimizer"] as? String == "sgd")
        // LoRA's rank flag goes with a method set either way.
        #expect(try recipeEcho(["--recipe", "loss_output_chunks=8"])["loss_output_chunks"] as? Int == 8)
        let lora = try recipeEcho(["--recipe", "fine_tuning=lora", "--lora-rank", "16"])
        #expect((lora["fine_tuning"] as? [String: Any])?["rank"] as? Int == 16)
    }

    /// A contradiction, an unknown key and a bad value give one line naming them.
    @Test func badAssignmentsAreRefused() throws {
        let cases: [([String], String)] = [
            (["--precision", "fp8", "--recipe", "precision=bf16"],
             "--recipe precision=bf16 sets precision, which --precision fp8 already sets"),
            (["--recipe", "precison=fp8"], "--recipe precison=fp8: no recipe field precison"),
            (["--recipe", "offload=gpu"], "--recipe offload=gpu: offload takes none, optimizer, all"),
            (["--recipe", "offload"], "--recipe offload is not key=value"),
            (["--recipe", "loss_output_chunks=0"], "--recipe loss_output_chunks=0: loss_output_chunks takes <positive integer>"),
            (["--recipe", "optimizer_state_dtype=fp16"], "--recipe optimizer_state_dtype=fp16: optimizer_state_dtype takes fp32, bf16"),
            (["--framework", "deepspeed", "--recipe", "optimizer_state_dtype=bf16"],
             "--recipe optimizer_state_dtype=bf16: deepspeed keeps fp32 optimizer states"),
            (["--recipe", "loss-output-chunks=eight"],
             "--recipe loss-output-chunks=eight: loss_output_chunks takes <positive integer>"),
        ]
        for (extra, message) in cases {
            let result = try CLIRunner.run(Self.estimate + extra)
            #expect(result.status != 0)
            #expect(result.stderr.contains(message), "\(extra): \(result.stderr)")
        }
    }
}

import Foundation
import Testing

/// Fine-tuning through the CLI: the JSON fields it adds, `loom fit`, `--emit peft`, and bad input
/// as one line with a non-zero exit.
@Suite struct FineTuneCLITests {
    static let base = ["--model", "llama-3.1-8b", "--cluster", "rtx-4090", "--gpus", "1", "--global-batch", "2",
                       "--micro-batch", "2", "--seq", "2048", "--recompute", "full"]

    /// QLoRA keeps Llama 3.1 8B inside 24 GB; full fine-tuning with Adam (16+ bytes per
    /// parameter, 120 GiB) does not; `recipe.fine_tuning` and `host_memory` are in the JSON.
    @Test func qloraFitsWhereFullDoesNot() throws {
        let qlora = try CLIRunner.run(["estimate"] + Self.base + ["--finetune", "qlora", "--format", "json"])
        #expect(qlora.status == 0, "\(qlora.stderr)")
        let q = try #require(try CLIRunner.json(qlora) as? [String: Any])
        #expect(q["fits"] as? Bool == true)
        #expect(((q["recipe"] as? [String: Any])?["fine_tuning"] as? [String: Any])?["method"] as? String == "qlora")
        #expect((q["host_memory"] as? [String: Any])?["per_gpu"] as? Double == 0)
        let full = try CLIRunner.run(["estimate"] + Self.base + ["--format", "json"])
        #expect((try CLIRunner.json(full) as? [String: Any])?["fits"] as? Bool == false)
    }

    /// `plan --emit peft` ranks as Hugging Face's Trainer runs the emitted configuration:
    /// DeepSpeed's eager kernels, transformers' loss over fp32 logits, and for QLoRA PEFT's fp32
    /// upcast of what stays unquantised; an explicit --framework or --recipe still wins.
    @Test func emitPEFTRanksAsTheTrainerRunsIt() throws {
        let plan = ["plan", "--model", "llama-3.1-8b", "--cluster", "rtx-4090", "--gpus", "1", "--global-batch", "8",
                    "--seq", "2048", "--finetune", "qlora", "--top", "1", "--emit", "peft", "--format", "json"]
        func recipe(_ extra: [String]) throws -> [String: Any] {
            let result = try CLIRunner.run(plan + extra)
            #expect(result.status == 0, "\(result.stderr)")
            let answer = try #require(try CLIRunner.json(result) as? [String: Any])
            let best = try #require((answer["plans"] as? [[String: Any]])?.first)
            return try #require(best["recipe"] as? [String: Any])
        }
        let trainer = try recipe([])
        #expect(trainer["framework"] as? String == "deepspeed")
        #expect(trainer["fp32_logits_loss"] as? Bool == true)
        #expect(trainer["fp32_unquantized_weights"] as? Bool == true)
        let stated = try recipe(["--framework", "fsdp", "--recipe", "fp32_logits_loss=false"])
        #expect(stated["framework"] as? String == "fsdp" && stated["fp32_logits_loss"] as? Bool == false)
    }

    @Test func fitAnswersTheLongestSequence() throws {
        let result = try CLIRunner.run(["fit"] + Self.base + ["--finetune", "qlora", "--find", "max-seq", "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let answer = try #require(try CLIRunner.json(result) as? [String: Any])
        let value = try #require(answer["value"] as? Int)
        #expect(value > 2048, "QLoRA at micro-batch 2 fits more than 2048 tokens on 24 GB: \(value)")
        #expect((answer["estimate"] as? [String: Any])?["fits"] as? Bool == true)
    }

    @Test(arguments: [
        (["--finetune", "lora", "--lora-rank", "0"], "loom: error: --lora-rank 0 must be at least 1"),
        (["--finetune", "lora", "--lora-dropout", "1.5"], "loom: error: --lora-dropout 1.5 must be at least 0 and below 1"),
        (["--lora-dropout", "0.1"], "loom: error: --lora-dropout needs --finetune lora or qlora (got --finetune full)"),
        (["--lora-rank", "4"], "loom: error: --lora-rank needs --finetune lora or qlora (got --finetune full)"),
        (["--finetune", "lora", "--lora-targets", "x"], "loom: error: The value 'x' is invalid for '--lora-targets"),
        (["--target-seq", "64"], "loom: error: --target-seq 64: llama-3.1-8b has no decoder stack"),
        (["--finetune", "lora", "--recipe", "fp32_unquantized_weights=true"],
         "loom: error: --recipe fp32_unquantized_weights=true needs --finetune qlora (got --finetune lora)"),
        (["--finetune", "lora", "--recipe", "quantised_output_layer=true"],
         "loom: error: --recipe quantised_output_layer=true needs --finetune qlora (got --finetune lora)"),
        (["--recipe", "nf4_double_quantisation=false"],
         "loom: error: --recipe nf4_double_quantisation=false needs --finetune qlora (got --finetune full)"),
    ])
    func badInputGivesOneLine(extra: [String], expected: String) throws {
        let result = try CLIRunner.run(["estimate"] + Self.base + extra)
        #expect(result.status != 0)
        #expect(result.stderr.hasPrefix(expected), "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1)
    }
}

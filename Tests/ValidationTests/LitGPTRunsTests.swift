import CostModel
import Foundation
import Hardware
import Testing
import Validation

/// LitGPT's config_hub table (`Validation/finetune-runs-litgpt.json`, @26857050): peak memory of
/// its fine-tuning configs on one A10G at 512 tokens. Not an issue target. What it shows:
/// - LoRA: 6 of 9 rows within 10% with the configs' recipes (bf16-true, rank 32 / alpha 16 /
///   dropout 0.05 on q and v for Llama, Mistral and Falcon; every linear layer for Phi,
///   TinyLlama and Gemma); the two smallest Llama 3.2 rows and Gemma 2B are 12-18% low;
/// - QLoRA: every row 21-31% low. At the same micro-batch LitGPT's QLoRA holds 3.5-4 GB more
///   than its LoRA beyond the weights (TinyLlama at 8 x 512 tokens: 16.24 GB against 13.50 with
///   2.2 GB of bf16 weights fewer), which no counted mechanism gives (bitsandbytes' 4-bit linears
///   keeping their inputs adds 1.5 GB on Llama 3.1 8B at 2 x 512); the 7-8B rows' peaks equal
///   their bf16 weights (Llama 3.1 8B 17.41 GB, Llama 2 7B 13.68), as if the model were
///   materialised in bf16 before it is quantised (`fabric.init_module(empty_init=False)` on one
///   device: U);
/// - full: TinyLlama's row is within 10% (-5.0%); the Llama 3.2 1B and 3B and Phi-3 rows print
///   peaks below the model states themselves (Phi-3 mini, 3.82e9 parameters x (2 weights + 2
///   gradients + 4 AdamW moments) bytes = 30.6 GB against 17.01 GB), so they cannot be the
///   training step's peak; Llama 3.1 8B full is out of memory, as
///   predicted; Gemma 7B LoRA is out of memory where Loom has it fit (21.6 GiB of the A10G's 22.5).
@Suite struct LitGPTRunsTests {
    static let report: FinetuneValidationReport = {
        let runs = (try? RunsFileReader.loadFinetuneRuns(path: validationFile("finetune-runs-litgpt.json"))) ?? []
        return FinetuneValidation.validate(runs: runs) { try TopologyCatalog.load($0) }
    }()

    static let loraOutside: Set<String> = ["litgpt-llama-3.2-1b-lora", "litgpt-llama-3.2-3b-lora", "litgpt-gemma-2b-lora"]

    @Test func everyRowIsMapped() {
        #expect(Self.report.rows.count == 22, "refused: \(Self.report.refused)")
    }

    @Test func loraRowsWithinTenPercent() {
        let lora = Self.report.rows.filter { $0.id.hasSuffix("-lora") && $0.memoryError != nil }
        #expect(lora.count == 9)
        for row in lora {
            let error = row.memoryError ?? .infinity
            print(String(format: "%@: memory %+.1f%%", row.id, 100 * error))
            if Self.loraOutside.contains(row.id) {
                withKnownIssue { #expect(abs(error) <= 0.10, "\(row.id)") }
            } else {
                #expect(abs(error) <= 0.10, "\(row.id): \(error)")
            }
        }
    }

    /// The QLoRA rows and three full rows, known issues (above): every one outside 10%.
    /// TinyLlama's full row is inside.
    @Test func qloraAndFullRows() throws {
        let outside = Self.report.rows.filter {
            ($0.id.hasSuffix("-qlora") || ($0.id.hasSuffix("-full") && !$0.id.contains("tiny-llama"))) && $0.memoryError != nil
        }
        #expect(outside.count == 10)
        for row in outside {
            withKnownIssue { #expect(abs(row.memoryError ?? .infinity) <= 0.10, "\(row.id)") }
        }
        let tiny = try #require(Self.report.rows.first { $0.id == "litgpt-tiny-llama-full" })
        #expect(abs(tiny.memoryError ?? .infinity) <= 0.10)
    }

    @Test func outOfMemoryRows() throws {
        let full = try #require(Self.report.rows.first { $0.id == "litgpt-llama-3.1-8b-full" })
        #expect(full.reportedOutOfMemory && !full.predictedFits)
        let gemma = try #require(Self.report.rows.first { $0.id == "litgpt-gemma-7b-lora" })
        #expect(gemma.reportedOutOfMemory)
        withKnownIssue { #expect(!gemma.predictedFits) }
    }
}

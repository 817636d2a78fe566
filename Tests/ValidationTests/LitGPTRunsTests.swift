import CostModel
import Foundation
import Hardware
import Testing
import Validation

/// A LitGPT runs file's validation report (empty when the file cannot be read: each suite's
/// row-count test then fails).
func litgptReport(_ file: String) -> FinetuneValidationReport {
    let runs = (try? RunsFileReader.loadFinetuneRuns(path: validationFile(file))) ?? []
    return FinetuneValidation.validate(runs: runs) { try TopologyCatalog.load($0) }
}

/// LitGPT's config_hub table (`Validation/finetune-runs-litgpt.json`, @26857050): peak memory of
/// its fine-tuning configs on one A10G at 512 tokens. Not an issue target. What it shows:
/// - LoRA: all 9 rows within 10% with the configs' recipes (bf16-true, rank 32 / alpha 16 /
///   dropout 0.05 on q and v for Llama, Mistral and Falcon; every linear layer for Phi,
///   TinyLlama and Gemma), LitGPT's own output layer (Llama 3.2 1B and 3B untied: their LM head
///   is a second 128,256-row table), its fused Q/K/V adapter (one dropout) and its fused Q/K/V
///   output kept whole through V's view under multi-head attention; all within 3%;
/// - QLoRA through Lightning's `BitsandbytesPrecision("nf4")`: every linear layer, the LM head
///   included, at 4.5 bits (no double quantisation), each dequantised to fp16 and cast to bf16,
///   and bitsandbytes keeping every 4-bit linear's input beside the adapters' dropped copies,
///   the fused Q/K/V adapter dropping out its input once, eager SDPA's repeated K and V, the
///   logit chunks cast to fp32 by Fabric, and `fit` holding the previous micro-batch's logits
///   and graph into the next forward, with the inputs `MatMul4Bit` keeps in `ctx.tensors`
///   (`HeldPreviousGraph`): all 7 rows within 5%;
/// - full: TinyLlama's row is within 10%; the Llama 3.2 1B and 3B and Phi-3 rows print
///   peaks below the model states themselves (Phi-3 mini, 3.82e9 parameters x (2 weights + 2
///   gradients + 4 AdamW moments) bytes = 30.6 GB against 17.01 GB), so they cannot be the
///   training step's peak; Llama 3.1 8B full and Gemma 7B LoRA are out of memory, as predicted.
@Suite struct LitGPTRunsTests {
    static let report = litgptReport("finetune-runs-litgpt.json")

    @Test func everyRowIsMapped() {
        #expect(Self.report.rows.count == 22, "refused: \(Self.report.refused)")
    }

    /// The rows of one method with a memory figure, each printed with its error.
    static func rows(_ suffix: String) -> [(id: String, error: Double)] {
        Self.report.rows.filter { $0.id.hasSuffix(suffix) && $0.memoryError != nil }.map { row in
            let error = row.memoryError ?? .infinity
            print(String(format: "%@: memory %+.1f%%", row.id, 100 * error))
            return (row.id, error)
        }
    }

    /// LoRA's 9 rows and QLoRA's 7, each within 10%.
    @Test(arguments: [("-lora", 9), ("-qlora", 7)])
    func adapterRowsWithinTenPercent(suffix: String, count: Int) {
        let rows = Self.rows(suffix)
        #expect(rows.count == count)
        for (id, error) in rows {
            #expect(abs(error) <= 0.10, "\(id): \(error)")
        }
    }

    /// Three full rows, known issues (above): peaks below their states. TinyLlama's is inside.
    @Test func fullRows() throws {
        let outside = Self.report.rows.filter {
            $0.id.hasSuffix("-full") && !$0.id.contains("tiny-llama") && $0.memoryError != nil
        }
        #expect(outside.count == 3)
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
        #expect(gemma.reportedOutOfMemory && !gemma.predictedFits)
    }
}

/// lit-gpt's resource table of October 2023 (`Validation/finetune-runs-litgpt-2023.json`): LoRA
/// and QLoRA on one A100-SXM4-40GB at the longest Alpaca sample, 1,304 tokens (the table's
/// header), whose first iteration is the peak (`longest_sample_first`). Not an issue target, and
/// no mechanism was fitted to it: every peak within 10%, every out-of-memory row predicted not to
/// fit.
@Suite struct LitGPT2023RunsTests {
    static let report = litgptReport("finetune-runs-litgpt-2023.json")

    @Test func peaksWithinTenPercentAndOutOfMemoryRows() {
        #expect(Self.report.rows.count == 10, "refused: \(Self.report.refused)")
        let measured = Self.report.rows.filter { $0.memoryError != nil }
        #expect(measured.count == 7)
        for row in measured {
            #expect(abs(row.memoryError ?? .infinity) <= 0.10, "\(row.id): \(row.memoryError ?? .nan)")
        }
        let outOfMemory = Self.report.rows.filter(\.reportedOutOfMemory)
        #expect(outOfMemory.count == 3)
        for row in outOfMemory {
            #expect(!row.predictedFits, "\(row.id)")
        }
    }

    /// The first iteration holds no earlier graph: each case says so, and its recipe does not.
    @Test func noHeldGraphAtTheFirstIteration() throws {
        let runs = try RunsFileReader.loadFinetuneRuns(path: validationFile("finetune-runs-litgpt-2023.json"))
        #expect(runs.count == 10 && runs.allSatisfy { $0.longestSampleFirst == true && $0.seq == 1304 })
        let row = try #require(Self.report.rows.first)
        #expect(row.assumed.contains { $0.contains("no earlier graph held") })
    }
}


import CostModel
import Foundation
import Hardware
import Testing
import Validation

/// torchtune's "Optimization flags" table (`Validation/finetune-runs-torchtune-flags.json`,
/// README @1814feb17): Llama 3.2 3B on one A100, batch 2 x 4096 packed tokens, each technique
/// added on top of the previous row. Not an issue target: it checks the mechanisms one at a time,
/// each row's change against the table's, beside the rows' own errors.
@Suite struct TorchtuneFlagsRunsTests {
    static let report: FinetuneValidationReport = {
        let runs = (try? RunsFileReader.loadFinetuneRuns(path: validationFile("finetune-runs-torchtune-flags.json"))) ?? []
        return FinetuneValidation.validate(runs: runs) { try TopologyCatalog.load($0) }
    }()

    static func row(_ name: String) throws -> FinetuneValidationReport.Row {
        try #require(report.rows.first { $0.id == "torchtune-llama3.2-3b-flags-" + name })
    }

    /// The table's nine packed rows, all mapped (the unpacked baseline is left out of the file: its
    /// Alpaca batches' padded lengths are not stated).
    @Test func everyRowIsMapped() {
        #expect(Self.report.rows.count == 9, "refused: \(Self.report.refused)")
    }

    /// Outside 10% today: 8-bit AdamW (-14.1%: the table saves 4.2 GiB where AdamW's two bf16
    /// moments, 3.21e9 x 4 bytes = 12.0 GiB, against two uint8 ones, 6.0 GiB, save 6.0).
    static let memoryOutside: Set<String> = ["adamw-8bit"]

    @Test func peakMemoryWithinTenPercent() throws {
        for name in ["packed", "compile", "chunked-ce", "activation-checkpointing", "optimizer-in-bwd",
                     "activation-offloading", "adamw-8bit", "lora", "qlora"] {
            let error = try #require(try Self.row(name).memoryError)
            print(String(format: "%@: memory %+.1f%%", name, 100 * error))
            if Self.memoryOutside.contains(name) {
                withKnownIssue { #expect(abs(error) <= 0.10, "\(name)") }
            } else {
                #expect(abs(error) <= 0.10, "\(name): \(error)")
            }
        }
    }

    /// On an A100 SXM (the table names no form factor): every row within 15%, mean 9.2%.
    @Test func tokensPerSecondWithinFifteenPercent() {
        for row in Self.report.rows {
            let error = row.tokensError ?? .infinity
            print(String(format: "%@: tokens/s %+.1f%%", row.id, 100 * error))
            #expect(abs(error) <= 0.15, "\(row.id): \(error)")
        }
    }

    /// Each technique's change of tokens/s, Loom's against the table's, within 5 points: the
    /// table's own figures (its "% Change Tokens/sec vs Previous" column, from 9174 -> 7210 for
    /// checkpointing: -21.41%) and LoRA's and QLoRA's rows against the checkpointed full row
    /// and the LoRA row. torch.compile is outside: the table's +27.2% (7075 -> 8998) against
    /// Loom's +14.2% from fused elementwise kernels alone; and 8-bit AdamW (-4.7% in the
    /// table, +0.6% in Loom, whose 8-bit step moves fewer bytes than AdamW's).
    @Test func eachTechniqueChangesTokensPerSecondAsTheTableDoes() throws {
        func change(_ from: String, _ to: String) throws -> (table: Double, loom: Double) {
            let a = try Self.row(from), b = try Self.row(to)
            let table = try #require(b.reportedTokensPerS) / (try #require(a.reportedTokensPerS)) - 1
            return (table, b.predictedTokensPerS / a.predictedTokensPerS - 1)
        }
        let steps: [(String, String, Bool)] = [
            ("packed", "compile", false), ("compile", "chunked-ce", true),
            ("chunked-ce", "activation-checkpointing", true), ("activation-checkpointing", "optimizer-in-bwd", true),
            ("optimizer-in-bwd", "activation-offloading", true), ("activation-offloading", "adamw-8bit", false),
            ("activation-checkpointing", "lora", true), ("lora", "qlora", true),
        ]
        for (from, to, inside) in steps {
            let (table, loom) = try change(from, to)
            print(String(format: "%@ -> %@: table %+.1f%%, Loom %+.1f%%", from, to, 100 * table, 100 * loom))
            if inside {
                #expect(abs(loom - table) <= 0.05, "\(from) -> \(to): table \(table), Loom \(loom)")
            } else {
                withKnownIssue { #expect(abs(loom - table) <= 0.05, "\(from) -> \(to)") }
            }
        }
        // The table's own -21.41% for checkpointing, as printed.
        #expect(abs(try change("chunked-ce", "activation-checkpointing").table - -0.2141) < 0.0005)
    }

    /// Each memory saver's saving, Loom's against the table's, within 2 GiB: chunked cross-entropy
    /// 8.1 GiB (51.0 -> 42.9; Loom 9.5: the upcast loss's 12 bytes a logit against the chunks'
    /// 2.25, on 8,192 x 128,256 logits), checkpointing 18.0 (Loom 16.1), the step in the backward
    /// 1.8 (2.4: the gradients the backward had not yet allocated at the peak, `ProgressiveGradients`,
    /// are not saved by it), offloading the checkpoints 1.3 (1.2), LoRA 13.3 below the offloaded
    /// full row (12.2).
    @Test func eachMemorySaverSavesWhatTheTableSaves() throws {
        let steps = [("compile", "chunked-ce"), ("chunked-ce", "activation-checkpointing"),
                     ("activation-checkpointing", "optimizer-in-bwd"), ("optimizer-in-bwd", "activation-offloading"),
                     ("activation-offloading", "lora")]
        for (from, to) in steps {
            let a = try Self.row(from), b = try Self.row(to)
            let table = try #require(a.reportedPeakMemoryGib) - (try #require(b.reportedPeakMemoryGib))
            let loom = a.predictedPeakMemoryGib - b.predictedPeakMemoryGib
            print(String(format: "%@ -> %@: table saves %.1f GiB, Loom %.1f GiB", from, to, table, loom))
            #expect(abs(loom - table) <= 2.0, "\(from) -> \(to): table \(table), Loom \(loom)")
        }
    }
}

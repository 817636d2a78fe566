import CostModel
import Foundation
import Hardware
import Testing
import Validation

/// Loom's peak-memory estimate against measured peaks: the 18 torchtitan runs of
/// `published-runs-2.json` that report `peak_memory_gib` (Llama 3.1 8B/70B/405B on H100s with
/// 96 GB). torchtitan logs `memory: {max_reserved_gib}GiB` (train.py, DeviceMemoryMonitor): the
/// caching allocator's peak *reserved* bytes, cached free blocks and fragmentation included, not
/// the peak of live tensors that Loom's terms add up.
///
/// Today Loom predicts memory for the 4 bf16 runs only (the 14 Float8 ones are refused: no
/// precision option yet), and too high: +24% to +39%. The bounds below are today's figures,
/// asserted as they are; the fidelity work (issue 13) brings every run within 10% and must
/// tighten them to that.
@Suite struct MeasuredMemoryTests {
    static func peakRuns() throws -> [PublishedRun] {
        try RunsFileReader.loadRuns(path: validationFile("published-runs-2.json"))
            .filter { $0.reported.peakMemoryGib != nil }
    }

    static func printPeaks(_ report: ValidationReport, label: String) {
        for row in report.runs {
            print(String(format: "%@%@: measured %.1f GiB, predicted %.1f GiB, %+.1f%%", row.id, label,
                         row.reportedPeakMemoryGib ?? 0, row.predictedPeakMemoryGib, 100 * (row.memoryError ?? 0)))
        }
    }

    @Test func torchtitanPeaksAsLoomPredictsThemToday() throws {
        let runs = try Self.peakRuns()
        #expect(runs.count == 18)
        #expect(runs.allSatisfy { $0.framework == "torchtitan" })
        let report = ValidationRunner.validate(runs: runs, defaults: RunDefaults(flashAttention: true),
                                               cluster: TopologyCatalog.load)
        Self.printPeaks(report, label: "")
        print(String(format: "peak memory over %d of 18 torchtitan runs: mean |error| %.1f%%, max %.1f%%, %d refused",
                     report.memory.count, 100 * report.memory.meanAbsError, 100 * report.memory.maxAbsError,
                     report.refused.count))
        // All 18 are predicted now that FP8 is modelled.
        #expect(report.memory.count == 18)
        #expect(report.refused.isEmpty)
        // Today's error, reported honestly (the target is within 10%).
        #expect(report.memory.meanAbsError <= 0.45)
        // 0.62 before FSDP's two gathered units were counted (`ZeRO3GatheredWeights`, +1.7 GiB
        // on the 8B runs); the over-prediction is in the activations.
        #expect(report.memory.maxAbsError <= 0.63)
    }

    /// Diagnostic until precision lands: all 18 with the Float8 runs estimated as bf16 (the same
    /// layout with bf16 GEMMs; torchao Float8 keeps bf16 weights and adds fp8 casts, so this is
    /// not their true memory), to see the layouts' memory pattern over all 18.
    @Test func allEighteenPeaksWithFloat8EstimatedAsBF16() throws {
        let runs = try Self.peakRuns().map { run -> PublishedRun in
            var asBF16 = run
            asBF16.precision = "bf16"
            return asBF16
        }
        let report = ValidationRunner.validate(runs: runs, defaults: RunDefaults(flashAttention: true),
                                               cluster: TopologyCatalog.load)
        Self.printPeaks(report, label: " (as bf16)")
        print(String(format: "all 18 as bf16: mean |error| %.1f%%, p90 %.1f%%, max %.1f%%, mean %+.1f%%",
                     100 * report.memory.meanAbsError, 100 * report.memory.p90AbsError,
                     100 * report.memory.maxAbsError, 100 * report.memory.meanError))
        #expect(report.memory.count == 18)
        #expect(report.refused.isEmpty)
    }
}

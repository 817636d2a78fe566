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
/// Target (issue 13): every run within 10%. Met on the mean (5.6%) and by 16 of the 18 runs
/// (the 8B FSDP and CP runs, the 70B 2D runs with DTensor's loss-parallel cross entropy, the
/// 405B interleaved run and the 4D runs at CP 1-4, with the pipelining runtime's per-micro-batch
/// buffers and ring attention's gathered keys and values). The 405B 3D 1F1B run (-14.9%) and the
/// 4D run at CP 8 (-14.8%) stay under predicted: Loom has no mechanism for why the 1F1B run
/// peaks 10 GiB above the interleaved one at the same activations per rank, nor for the 4D
/// runs' measured jump from CP 4 to CP 8; recorded as a known issue.
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
        // The mean within the target; each run within 10% is not met yet.
        #expect(report.memory.meanAbsError <= 0.10)
        let outside = report.runs.filter { abs($0.memoryError ?? 0) > 0.10 }.map(\.id)
        withKnownIssue("torchtitan 405B 3D 1F1B and 4D CP 8 under-predicted by 15%: \(outside)") {
            #expect(outside.isEmpty)
        }
    }
}

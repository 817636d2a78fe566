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
/// Target (issue 13): every run within 10%. Met on the mean (8.0%) and by the 8B runs (FSDP and
/// CP, within 8%); the 70B 2D run (-12%) and the 405B runs with pipeline parallelism (-8% to
/// -23%, growing with CP at a fixed token count per GPU, which Loom does not reproduce) are under
/// predicted and recorded as a known issue.
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
        withKnownIssue("torchtitan 70B 2D and 405B under PP under-predicted by 12-23%: \(outside)") {
            #expect(outside.isEmpty)
        }
    }
}

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
/// Target (issue 13): every run within 10%, met (max 7.8%): the 8B FSDP and CP runs, the 70B 2D
/// runs with DTensor's loss-parallel cross entropy, and the 405B runs with pipeline parallelism,
/// whose peaks follow the pipelining runtime's per-micro-batch buffers, ring attention's gathered
/// keys and values, FSDP's gathered stages held from their first forward or backward to their
/// last backward in the schedule's order (`PipelineStageResidency`: the interleaved run's last
/// rank holds one chunk's gradients at its peak, the 1F1B first stage 7 micro-batches with its
/// gradients) and the allocator segment of the last stage's merged outputs
/// (`PipelineStageBuffers.mergedOutputBytes`, 7.8 GiB). Not explained: the 1F1B run's 9.8 GiB
/// above the interleaved one is predicted as 2.1 GiB, and the 4D runs' jump from CP 4 to CP 8
/// (+7.8 GiB measured) as +0.9 GiB (the CP 8 run is capped at the 80 GiB preset).
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
        // Every run within the target.
        #expect(report.memory.meanAbsError <= 0.10)
        let outside = report.runs.filter { abs($0.memoryError ?? 0) > 0.10 }.map(\.id)
        #expect(outside.isEmpty, "outside 10%: \(outside)")
    }
}

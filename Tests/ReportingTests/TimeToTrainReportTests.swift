import CostModel
import Foundation
import Goodput
import Hardware
import Reporting
import Testing
import Workloads

@Suite struct TimeToTrainReportTests {
    /// Every planned row gets a goodput in (0, 1] and a time with failures of time / goodput; the
    /// CSV names its units.
    @Test func rowsCarryGoodputAndTimeWithFailures() throws {
        let report = try #require(ReportFixtures.scaling)
        for row in report.plannedRows {
            let goodput = try #require(row.goodput)
            #expect(goodput > 0 && goodput <= 1)
            let ideal = try #require(row.timeToTrainS)
            #expect(abs(try #require(row.timeToTrainWithFailuresS) / (ideal / goodput) - 1) < 1e-12)
        }
        let header = CSVWriter.render(report).split(separator: "\n")[0]
        for column in ["goodput", "time_to_train_with_failures_days", "gpu_hours_with_failures", "expected_interruptions",
                       "checkpoint_interval_s", "checkpoint_bytes"] {
            #expect(header.contains(column))
        }
    }

    /// The curve of days against GPUs bends back with failures: Llama 3.1 8B on 1T tokens, DP only,
    /// one GPU failing every 500 h and 60-minute restarts (the planner test's case). Without failures
    /// the days halve with each doubling (10.2, 5.1, 2.6, 1.3); with them: 14.2, 9.6, 8.8, then 14.6
    /// at 1,024 GPUs (goodput 72%, 53%, 29%, 9%).
    @Test func timeAgainstGPUsBendsBackWithFailures() throws {
        let model = try ModelCatalog.preset(named: "llama-3.1-8b")
        let cluster = try TopologyCatalog.load("dgx-h100")
        let layout = ParallelLayout(tp: 1, pp: 1, dp: 1, zero: 1, microBatch: 1, globalBatch: 1024, seq: 8192)
        let sweep = try ScalingSweep.scaling(model: model, cluster: cluster, gpus: [128, 256, 512, 1024], globalBatch: 1024,
                                             seq: 8192, mode: .strong,
                                             policy: .fixed(layout, TrainingRecipe(recompute: .full)))
        let settings = TrainingTimeSettings(tokens: 1e12, failureRate: try FailureRate(perAcceleratorHour: 1.0 / 500,
                                                                                         source: "test"),
                                            restartSeconds: 3600)
        let report = ScalingReport(kind: .scaling, model: model, sweep: sweep, outcomes: try sweep.run(), mode: .strong,
                                   trainTokens: 1e12, recovery: settings)
        let ideal = report.rows.compactMap(\.timeToTrainS).map { $0 / 86_400 }
        let failing = report.rows.compactMap(\.timeToTrainWithFailuresS).map { $0 / 86_400 }
        #expect(ideal.count == 4 && failing.count == 4)
        #expect(ideal == ideal.sorted(by: >))
        #expect(failing[2] < failing[1] && failing[3] > failing[2])
        #expect(abs(failing[2] - 8.75) < 0.05 && abs(failing[3] - 14.56) < 0.1)
    }
}

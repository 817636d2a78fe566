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
            // The fixture's price, 2.5 per GPU-hour.
            #expect(abs(try #require(row.costWithFailures) / (2.5 * Double(row.gpus) * ideal / goodput / 3600) - 1) < 1e-12)
        }
        let header = CSVWriter.render(report).split(separator: "\n")[0]
        for column in ["goodput", "time_to_train_with_failures_days", "gpu_hours_with_failures", "cost_with_failures",
                       "expected_interruptions",
                       "checkpoint_interval_s", "checkpoint_bytes"] {
            #expect(header.contains(column))
        }
    }

    /// The curve of days against GPUs bends back with failures: Llama 3.1 8B on 1T tokens, DP only,
    /// one GPU failing every 500 h and 60-minute restarts (the planner test's case). Goodput by hand
    /// (Daly 2006, as in TimeToTrainObjectiveTests: M = 1.8e6 / N s, R = 4,200 s + the write of
    /// 112.4 GB at N/8 x 0.977 GB/s): 71.8%, 53.3%, 29.3%, 8.87% at 128, 256, 512, 1,024 GPUs. With
    /// near-linear scaling the days without failures halve with each doubling; with failures the
    /// last doubling costs 0.293 / 0.0887 / 2 = 1.65 times the days.
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
        let goodput = report.rows.compactMap(\.goodput)
        for (value, expected) in zip(goodput, [0.7180, 0.5326, 0.2931, 0.0887]) {
            #expect(abs(value - expected) < 0.0005)
        }
        #expect(abs(failing[3] / failing[2] - (ideal[3] / ideal[2]) * goodput[2] / goodput[3]) < 1e-9)
        #expect(report.headline.contains("finishes soonest on 512 GPUs"), "\(report.headline)")
    }
}

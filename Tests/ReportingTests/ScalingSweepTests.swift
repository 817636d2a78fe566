import CostModel
import Foundation
import Planner
import XCTest
@testable import Reporting

final class ScalingSweepTests: XCTestCase {
    func testStrongScalingRowsEfficiencyAndTimeToTrain() throws {
        let report = try XCTUnwrap(ReportFixtures.scaling)
        XCTAssertEqual(report.rows.map(\.gpus), [8, 12, 16, 32])
        XCTAssertEqual(report.rows.map(\.globalBatch), [128, 128, 128, 128])
        XCTAssertEqual(report.baselineGpus, 8)
        let first = report.rows[0]
        XCTAssertEqual(try XCTUnwrap(first.scalingEfficiency), 1, accuracy: 1e-12)
        // 12 GPUs is not a whole number of 8-GPU nodes: the row says why, the others have plans.
        XCTAssertNil(report.rows[1].estimate)
        XCTAssertTrue(report.rows[1].reason?.contains("12") == true, report.rows[1].reason ?? "")
        for row in report.rows where row.gpus != 12 {
            let estimate = try XCTUnwrap(row.estimate)
            let efficiency = try XCTUnwrap(row.scalingEfficiency)
            let expected = (estimate.tokensPerS / Double(row.gpus)) / ((first.estimate?.tokensPerS ?? 0) / 8)
            XCTAssertEqual(efficiency, expected, accuracy: 1e-12)
            XCTAssertGreaterThan(efficiency, 0.3)
            XCTAssertEqual(estimate.layout.gpus, row.gpus)
            // Compute-optimal tokens (20 per parameter) over the throughput; GPU-hours and cost follow.
            let tokens = 20 * Double(ReportFixtures.model?.totalParameters ?? 0)
            XCTAssertEqual(row.trainTokens, tokens)
            XCTAssertEqual(try XCTUnwrap(row.timeToTrainS), tokens / estimate.tokensPerS, accuracy: 1e-6)
            XCTAssertEqual(try XCTUnwrap(row.gpuHours), Double(row.gpus) * tokens / estimate.tokensPerS / 3600, accuracy: 1e-6)
            XCTAssertEqual(try XCTUnwrap(row.cost), 2.5 * (row.gpuHours ?? 0), accuracy: 1e-6)
            let share = try XCTUnwrap(row.exposedCommShare)
            XCTAssertTrue(share >= 0 && share < 1)
        }
    }

    func testWeakScalingGrowsTheBatchWithTheGPUs() throws {
        let model = try XCTUnwrap(ReportFixtures.model)
        let cluster = try XCTUnwrap(ReportFixtures.cluster)
        let sweep = try ScalingSweep.scaling(model: model, cluster: cluster, gpus: [8, 16, 24, 64], globalBatch: 32,
                                             seq: 2048, mode: .weak, policy: .best(PlanConstraints()))
        XCTAssertEqual(sweep.points.map(\.globalBatch), [32, 64, 96, 256])
    }

    func testBadGPUListsAreOneLineErrors() {
        XCTAssertThrowsError(try ScalingSweep.checkGPUList([])) { error in
            XCTAssertTrue("\(error)".contains("empty"))
        }
        XCTAssertThrowsError(try ScalingSweep.checkGPUList([64, 32])) { error in
            XCTAssertTrue("\(error)".contains("strictly increasing"), "\(error)")
        }
        XCTAssertThrowsError(try ScalingSweep.checkGPUList([8, 8])) { error in
            XCTAssertTrue("\(error)".contains("strictly increasing"), "\(error)")
        }
        XCTAssertThrowsError(try ScalingSweep.checkGPUList([8, Int.max])) { error in
            XCTAssertTrue("\(error)".contains("more than 1048576"), "\(error)")
        }
        XCTAssertThrowsError(try ScalingSweep.checkGPUList([0, 8])) { error in
            XCTAssertTrue("\(error)".contains("positive"), "\(error)")
        }
    }

    func testFixedPolicyHoldsTheLayoutAndDPFollowsTheGPUs() throws {
        let model = try XCTUnwrap(ReportFixtures.model)
        let cluster = try XCTUnwrap(ReportFixtures.cluster)
        let template = ParallelLayout(tp: 2, pp: 2, zero: 1, microBatch: 1)
        let sweep = try ScalingSweep.scaling(model: model, cluster: cluster, gpus: [4, 8, 16], globalBatch: 64, seq: 4096,
                                             mode: .strong, policy: .fixed(template, TrainingRecipe(flashAttention: true)))
        let outcomes = try sweep.run()
        XCTAssertEqual(outcomes.compactMap { $0.estimate?.layout.dp }, [1, 2, 4])
        XCTAssertEqual(outcomes.compactMap { $0.estimate?.layout.tp }, [2, 2, 2])
    }

    func testNothingFitsThrowsOneLine() throws {
        let model = try XCTUnwrap(ReportFixtures.model)
        let cluster = try XCTUnwrap(ReportFixtures.cluster)
        // 8B with full Adam state on one GPU, no sharding: about 130 GiB > 80 GiB.
        let sweep = try ScalingSweep.scaling(model: model, cluster: cluster, gpus: [1, 2], globalBatch: 8, seq: 4096,
                                             mode: .strong, policy: .fixed(ParallelLayout(), TrainingRecipe(flashAttention: true)))
        XCTAssertThrowsError(try sweep.run()) { error in
            let text = "\(error)"
            XCTAssertTrue(text.hasPrefix("nothing fits"), text)
            XCTAssertFalse(text.contains("\n"))
        }
    }
}

import CostModel
import Foundation
import Hardware
import Testing
import Validation
import Workloads

@Suite struct PublishedRunsTests {
    static var runsPath: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Validation/published-runs.json").path
    }

    @Test func publishedRunsWithinTargets() throws {
        let runs = try ValidationRunner.loadRuns(path: Self.runsPath)
        #expect(runs.count == 22)
        let report = try ValidationRunner.validate(runs: runs) { _ in testCluster() }
        for row in report.runs {
            print(row.id, String(format: "%.0f %.0f %+.1f%% mfu %.3f/%@", row.reportedTokensPerS, row.predictedTokensPerS,
                                 100 * row.error, row.predictedMfu, row.reportedMfu.map { String(format: "%.3f", $0) } ?? "-"))
        }
        print("mean", report.meanAbsError, "max", report.maxAbsError)
        #expect(report.meanAbsError <= 0.05)
        #expect(report.maxAbsError <= 0.10)
    }
}

import CostModel
import Foundation
import Hardware
import Testing
import Validation

@Suite struct SweepTmp {
    @Test func sweep() throws {
        guard ProcessInfo.processInfo.environment["LOOM_SWEEP"] != nil else { return }
        let runs = try ValidationRunner.loadRuns(path: PublishedRunsTests.runsPath)
        var results: [(Double, String)] = []
        for eff in [0.80, 0.83, 0.87] {
            for half in [64.0, 128, 192, 256, 384] {
                for mem in [0.55, 0.65, 0.75, 0.85] {
                    var c = testCluster()
                    c.accelerator.matmulEfficiency = eff
                    c.accelerator.matmulHalfEfficiencyDim = half
                    c.accelerator.memoryBandwidthEfficiency = mem
                    let report = try ValidationRunner.validate(runs: runs) { _ in c }
                    let errs = report.runs.map { String(format: "%+.0f", 100 * $0.error) }.joined(separator: " ")
                    results.append((report.meanAbsError, String(format: "eff %.2f half %.0f mem %.2f mean %.3f max %.3f | ", eff, half, mem, report.meanAbsError, report.maxAbsError) + errs))
                }
            }
        }
        for r in results.sorted(by: { $0.0 < $1.0 }).prefix(15) { print(r.1) }
    }
}

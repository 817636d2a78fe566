import CostModel
import XCTest
@testable import Reporting

/// The narrative's numbers, checked against values worked out by hand.
final class ReportNarrativeTests: XCTestCase {
    /// 81,559 MiB usable of 81,920 MiB (nvidia-smi on an H100 SXM5 80 GB): 0.99559.
    func testUsableFractionIsTheMeasuredOne() {
        XCTAssertEqual(MemoryHeadroom.usableFraction, 0.995593, accuracy: 1e-6)
        XCTAssertEqual(MemoryHeadroom.usable(80 * 1_073_741_824) / 1_073_741_824, 79.647, accuracy: 0.001)
    }

    func testLayoutChangesNameEveryDimensionThatMoved() {
        var a = LayoutEcho(ParallelLayout(tp: 8, pp: 16, dp: 4, vpp: 1, zero: 1, microBatch: 1, globalBatch: 64),
                           recipe: TrainingRecipe(recompute: .full))
        let b = LayoutEcho(ParallelLayout(tp: 4, pp: 8, dp: 32, vpp: 2, zero: 3, microBatch: 1, globalBatch: 64),
                           recipe: TrainingRecipe(recompute: .none))
        XCTAssertEqual(ReportNarrative.changes(from: a, to: b),
                       ["TP 8 → 4", "PP 16 → 8", "DP 4 → 32", "VPP 1 → 2", "ZeRO-1 → ZeRO-3", "recompute full → none"])
        a = b
        XCTAssertEqual(ReportNarrative.changes(from: a, to: b), [])
    }

    /// The scaling fixture: warnings, the superlinear list and the recommendation come from
    /// its rows, so each is checked against the rows' own figures.
    func testRecommendationPicksTheMostTokensPerDollar() throws {
        let report = try XCTUnwrap(ReportFixtures.scaling)
        let planned = report.plannedRows
        let best = try XCTUnwrap(planned.max { a, b in
            a.estimate!.tokensPerS / Double(a.gpus) < b.estimate!.tokensPerS / Double(b.gpus)
        })
        let text = ReportNarrative.recommendation(report)
        XCTAssertTrue(text.contains("\(ReportFormat.integer(Double(best.gpus))) GPUs"), text)
        for line in ReportNarrative.superlinear(report) { XCTAssertTrue(line.contains("of linear"), line) }
        for row in planned where (row.scalingEfficiency ?? 0) > 1.0005 {
            XCTAssertTrue(ReportNarrative.superlinear(report).contains { $0.hasPrefix("\(ReportFormat.integer(Double(row.gpus))) GPUs") })
        }
        XCTAssertEqual(ReportNarrative.layoutChanges(report).count, planned.count - 1)
    }

    /// One colour per quantity: no two series share one, so a colour means one thing in every chart.
    func testEveryQuantityHasItsOwnColour() {
        XCTAssertEqual(Set(SeriesPalette.colors.values).count, SeriesPalette.colors.count)
        XCTAssertFalse(SeriesPalette.colors.values.contains(SeriesPalette.reference))
    }
}

import Foundation
import XCTest
@testable import Reporting

final class SVGChartTests: XCTestCase {
    func testLogTicksAreDecadesOrOneTwoFive() {
        let wide = ChartScale(kind: .log, values: [1e3, 1e7], start: 0, end: 100)
        XCTAssertEqual(wide.ticks(), [1e3, 1e4, 1e5, 1e6, 1e7])
        let narrow = ChartScale(kind: .log, values: [80_000, 420_000], start: 0, end: 100)
        XCTAssertEqual(narrow.ticks(), [1e5, 2e5, 3e5])
        XCTAssertLessThan(narrow.position(1e5), narrow.position(2e5))
    }

    func testLinearTicksStartAtZeroWithNiceSteps() {
        let scale = ChartScale(kind: .linear, values: [0.12, 0.58], start: 300, end: 0)
        let ticks = scale.ticks()
        XCTAssertEqual(ticks.first, 0)
        XCTAssertGreaterThanOrEqual(ticks.last ?? 0, 0.58)
        XCTAssertEqual(scale.position(0), 300)
        XCTAssertEqual(ChartScale.niceStep(0.13), 0.2)
        XCTAssertEqual(ChartScale.niceStep(4000), 5000)
    }

    func testLineChartIsValidXMLWithTitleLabelsAndLegend() {
        let chart = LineChart(
            title: "Throughput <A&B>", xLabel: "GPUs", yLabel: "tokens/s", xKind: .log, yKind: .log,
            series: [ChartSeries(name: "estimate \"best\"", points: [(8, 1e5), (16, 1.9e5), (32, .nan)], color: "#0072B2"),
                     ChartSeries(name: "ideal", points: [(8, 1e5), (32, 4e5)], color: "#555", dashed: true)],
            xTicks: [8, 16, 32])
        let svg = chart.svg()
        XCTAssertTrue(ReportFixtures.parsesAsXML(svg), svg)
        XCTAssertTrue(svg.contains("Throughput &lt;A&amp;B&gt;"))
        XCTAssertTrue(svg.contains(">GPUs<"))
        XCTAssertTrue(svg.contains(">tokens/s<"))
        XCTAssertTrue(svg.contains("estimate &quot;best&quot;"))
        XCTAssertTrue(svg.contains("stroke-dasharray"))
        XCTAssertFalse(svg.lowercased().contains("nan"))
    }

    func testStackedBarChartDrawsNotesInsteadOfMissingBars() {
        let chart = StackedBarChart(
            title: "Memory", xLabel: "GPUs", yLabel: "GiB", categories: ["8", "12", "16"],
            segments: [BarSegment(name: "weights", color: "#0072B2", values: [10, 0, 5]),
                       BarSegment(name: "activations", color: "#E69F00", values: [30, 0, .infinity])],
            markers: [80, nil, 80], markerName: "capacity", notes: [nil, "no plan", nil])
        let svg = chart.svg()
        XCTAssertTrue(ReportFixtures.parsesAsXML(svg), svg)
        XCTAssertTrue(svg.contains(">no plan<"))
        XCTAssertTrue(svg.contains(">capacity<"))
        XCTAssertFalse(svg.lowercased().contains("inf"))
    }

    func testEscapingDropsControlCharactersXMLForbids() {
        let svg = StackedBarChart(title: "bad\u{01}name\u{0B} & <x>", xLabel: "x", yLabel: "y", categories: ["a\u{1F}"],
                                  segments: [BarSegment(name: "s", color: "#000", values: [1])]).svg()
        XCTAssertTrue(ReportFixtures.parsesAsXML(svg), svg)
        XCTAssertTrue(svg.contains("badname &amp; &lt;x&gt;"))
    }

    func testExtremeValuesNeitherTrapNorBreakTheSVG() {
        for values in [[1e-320, 1e308], [Double.greatestFiniteMagnitude], [-1e308, 1e308], [0, 0]] {
            let points = values.enumerated().map { (x: Double($0.offset + 1), y: $0.element) }
            for kind in [AxisKind.log, .linear] {
                let svg = LineChart(title: "t", xLabel: "x", yLabel: "y", xKind: .log, yKind: kind,
                                    series: [ChartSeries(name: "s", points: points, color: "#000")]).svg()
                XCTAssertTrue(ReportFixtures.parsesAsXML(svg))
                XCTAssertFalse(svg.lowercased().contains("nan"))
            }
        }
    }

    func testEmptyChartsStillRender() {
        XCTAssertTrue(ReportFixtures.parsesAsXML(LineChart(title: "t", xLabel: "x", yLabel: "y", xKind: .log, yKind: .linear,
                                                           series: []).svg()))
        XCTAssertTrue(ReportFixtures.parsesAsXML(StackedBarChart(title: "t", xLabel: "x", yLabel: "y", categories: [],
                                                                 segments: []).svg()))
    }
}

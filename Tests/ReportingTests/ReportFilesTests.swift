import Foundation
import XCTest
@testable import Reporting

/// The file set of a report: Markdown, HTML, CSV, JSON and the SVG charts.
final class ReportFilesTests: XCTestCase {
    func testCSVHasOneRowPerGPUCountWithTheContractColumns() throws {
        let report = try XCTUnwrap(ReportFixtures.scaling)
        let lines = CSVWriter.render(report).split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 1 + report.rows.count)
        let header = lines[0].split(separator: ",").map(String.init)
        let gpus = try XCTUnwrap(header.firstIndex(of: "gpus"))
        let efficiency = try XCTUnwrap(header.firstIndex(of: "scaling_efficiency"))
        // Rows without quoted cells split cleanly; check the planned ones.
        let first = lines[1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        XCTAssertEqual(first.count, header.count)
        XCTAssertEqual(first[gpus], "8")
        XCTAssertEqual(first[efficiency], "1")
        XCTAssertTrue(lines[2].contains("no_layout"))
    }

    func testCSVQuotesCellsWithCommasAndQuotes() {
        XCTAssertEqual(CSVWriter.quote("a,b"), "\"a,b\"")
        XCTAssertEqual(CSVWriter.quote("say \"hi\""), "\"say \"\"hi\"\"\"")
        XCTAssertEqual(CSVWriter.quote("plain"), "plain")
    }

    func testJSONRoundTripsAndNamesTheRows() throws {
        let report = try XCTUnwrap(ReportFixtures.scaling)
        let data = try ReportWriter.jsonData(report)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let rows = try XCTUnwrap(object["rows"] as? [[String: Any]])
        XCTAssertEqual(rows.count, 4)
        XCTAssertEqual(rows.first?["gpus"] as? Int, 8)
        XCTAssertNotNil(rows.first?["scaling_efficiency"])
        XCTAssertNotNil((rows.first?["estimate"] as? [String: Any])?["tokens_per_s"])
        // Every row has the same keys; what a row lacks is null.
        XCTAssertEqual(Set(rows[1].keys), Set(rows[0].keys))
        XCTAssertTrue(rows[1]["estimate"] is NSNull)
        XCTAssertTrue(rows[0]["reason"] is NSNull)
        XCTAssertNotNil(rows[1]["reason"] as? String)
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        XCTAssertEqual(try decoder.decode(ScalingReport.self, from: data).rows.count, 4)
    }

    func testMarkdownAndHTMLShowTableChartsAndReasons() throws {
        let report = try XCTUnwrap(ReportFixtures.scaling)
        let files = try ReportWriter.files(for: report, command: "loom report scaling --gpus 8,12,16,32")
        let names = files.map(\.name)
        for name in ["index.md", "report.html", "data.csv", "data.json", "throughput.svg", "efficiency.svg",
                     "time-breakdown.svg", "memory-breakdown.svg", "time-to-train.svg"] {
            XCTAssertTrue(names.contains(name), name)
        }
        let markdown = String(decoding: try XCTUnwrap(files.first { $0.name == "index.md" }).data, as: UTF8.self)
        XCTAssertTrue(markdown.contains("| GPUs |"))
        XCTAssertTrue(markdown.contains("![") && markdown.contains("(throughput.svg)"))
        XCTAssertTrue(markdown.contains("12 GPUs: "))
        let html = String(decoding: try XCTUnwrap(files.first { $0.name == "report.html" }).data, as: UTF8.self)
        XCTAssertEqual(html.components(separatedBy: "<svg ").count - 1, 5)
        XCTAssertFalse(html.contains("http://") && html.contains("src=\"http"))
        XCTAssertFalse(html.contains("<script"))
        XCTAssertFalse(html.contains("<link"))
        for file in files where file.name.hasSuffix(".svg") {
            XCTAssertTrue(ReportFixtures.parsesAsXML(String(decoding: file.data, as: UTF8.self)), file.name)
        }
    }
}

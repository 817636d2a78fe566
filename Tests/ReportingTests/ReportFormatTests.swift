import XCTest
@testable import Reporting

final class ReportFormatTests: XCTestCase {
    func testIntegerGroupsThousands() {
        XCTAssertEqual(ReportFormat.integer(4096), "4,096")
        XCTAssertEqual(ReportFormat.integer(16384), "16,384")
        XCTAssertEqual(ReportFormat.integer(64), "64")
        XCTAssertEqual(ReportFormat.integer(-1_234_567), "-1,234,567")
        XCTAssertEqual(ReportFormat.integer(.nan), "-")
    }

    func testCompactUsesSIPrefixes() {
        XCTAssertEqual(ReportFormat.compact(1_230_000), "1.23M")
        XCTAssertEqual(ReportFormat.compact(45_000), "45k")
        XCTAssertEqual(ReportFormat.compact(0.5), "0.5")
        XCTAssertEqual(ReportFormat.compact(3.5e12), "3.5T")
        XCTAssertEqual(ReportFormat.compact(.infinity), "-")
    }

    func testDurationSwitchesToDays() {
        XCTAssertEqual(ReportFormat.duration(3600 * 5), "5.0 h")
        XCTAssertEqual(ReportFormat.duration(86_400 * 31.25), "31.2 days")
        XCTAssertEqual(ReportFormat.duration(-1), "-")
    }
}

import XCTest
@testable import Reporting

final class ProgressBarTests: XCTestCase {
    func testLineShowsTheFractionDone() {
        let bar = ProgressBar(enabled: false, width: 10)
        XCTAssertEqual(bar.line(done: 3, total: 6, label: "dgx-h100, 512 GPUs"), "[#####.....] 3/6  dgx-h100, 512 GPUs")
        XCTAssertEqual(bar.line(done: 0, total: 0, label: "x"), "[##########] 0/0  x")
        XCTAssertEqual(bar.line(done: 9, total: 3, label: "x"), "[##########] 9/3  x")
    }

    func testDisabledBarWritesNothing() {
        // Not a terminal (as under a test runner): update is a no-op and must not trap.
        ProgressBar(enabled: false).update(done: 1, total: 2, label: "x")
        XCTAssertEqual(ProgressBar(enabled: false).enabled, false)
    }
}

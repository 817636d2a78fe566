import Calibration
import CostModel
import Foundation
import Testing

/// Benchmark rows must be ordered (min <= avg <= max), benchmark files are read within the input
/// limits, and no topology comes from a fit the times do not follow (issue 14).
@Suite struct BenchmarkQualityTests {
    static func row(_ bytes: Int, min: Double, avg: Double, max: Double) -> String {
        "{\"bytes\": \(bytes), \"time_us\": {\"min\": \(min), \"avg\": \(avg), \"max\": \(max)}, \"wrong\": 0}"
    }

    @Test(arguments: [(3.0, 2.0, 4.0), (1.0, 5.0, 4.0)])
    func unorderedTimesAreOneLine(min: Double, avg: Double, max: Double) {
        let rows = [Self.row(1024, min: 1, avg: 1.1, max: 1.2), Self.row(2048, min: min, avg: avg, max: max)]
        let text = CollectiveFitInputTests.document(results: rows.joined(separator: ", "))
        let error = #expect(throws: CalibrationError.self) { try CollectiveFitInputTests.parse(text) }
        #expect(error?.description == "run.json: results[1].time_us at 2048 bytes has min \(min), avg \(avg), max \(max): "
                    + "must satisfy min <= avg <= max")
    }

    @Test func deeplyNestedBenchmarkFileIsRefused() {
        let text = String(repeating: "[", count: 5000)
        let error = #expect(throws: CalibrationError.self) { try CollectiveFitInputTests.parse(text) }
        #expect(error?.description.hasPrefix("run.json: nested more than") == true)
    }

    /// Times that go up and down by 30x with size (10 us at even, 300 us at odd powers of two):
    /// no alpha-beta line explains them, so no topology is written.
    @Test func aFitTheTimesDoNotFollowIsRefused() throws {
        let rows = (10...17).map { exponent -> String in
            let time = exponent.isMultiple(of: 2) ? 10.0 : 300.0
            return Self.row(1 << exponent, min: time, avg: time, max: time)
        }
        let run = try CollectiveFitInputTests.parse(CollectiveFitInputTests.document(results: rows.joined(separator: ", ")))
        let error = #expect(throws: CalibrationError.self) {
            try Calibration.calibrate(runs: [run], base: dgxA100(), name: "x")
        }
        let message = error?.description ?? ""
        #expect(message.hasPrefix("the allreduce fit on scale_up has R^2 ") && message.contains("below the minimum 0.5"),
                "\(message)")
        // The same run passes when the caller accepts any fit.
        let anyFit = CalibrationOptions(minimumRSquared: -Double.infinity)
        #expect(throws: Never.self) { try Calibration.calibrate(runs: [run], base: dgxA100(), name: "x", options: anyFit) }
    }
}

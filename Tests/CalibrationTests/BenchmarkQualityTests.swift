@testable import Calibration
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
    /// the fitted line explains 5% of the log-time variance, so a calibration asking for 0.5
    /// writes no topology; the default (0) accepts it, as it accepts noisy runs of a loaded host.
    @Test func aFitBelowTheStatedMinimumIsRefused() throws {
        let rows = (10...17).map { exponent -> String in
            let time = exponent.isMultiple(of: 2) ? 10.0 : 300.0
            return Self.row(1 << exponent, min: time, avg: time, max: time)
        }
        let run = try CollectiveFitInputTests.parse(CollectiveFitInputTests.document(results: rows.joined(separator: ", ")))
        let strict = CalibrationOptions(minimumRSquared: 0.5)
        let error = #expect(throws: CalibrationError.self) {
            try Calibration.calibrate(runs: [run], base: dgxA100(), name: "x", options: strict)
        }
        #expect(error?.description == "the allreduce fit on scale_up has R^2 0.052 on log times (run.json), below the "
                    + "minimum 0.5 (--min-r2): the times do not follow alpha + beta x bytes; no topology written")
        #expect(throws: Never.self) { try Calibration.calibrate(runs: [run], base: dgxA100(), name: "x") }
    }

    /// A fit whose fitted times are 0 has an infinite R^2 on log times (log10 0 = -inf): never
    /// written, whatever the minimum.
    @Test func aNaNQualityIsRefusedWhateverTheMinimum() throws {
        let segment = CollectiveFit(collective: "allreduce", tier: "scale_up", ranks: 2, latencySteps: 2, busFactor: 1,
                                    alphaUs: 0, betaUsPerByte: 0, rSquared: 0, rSquaredLog: 0, medianAbsError: 0,
                                    maxAbsError: 0, points: [.init(bytes: 1024, measuredUs: 1, fittedUs: 0, error: -1),
                                                             .init(bytes: 2048, measuredUs: 2, fittedUs: 0, error: -1)])
        #expect(throws: CalibrationError.self) {
            try Calibration.checkQuality([segment], files: ["a.json"], minimum: -.infinity)
        }
    }
}

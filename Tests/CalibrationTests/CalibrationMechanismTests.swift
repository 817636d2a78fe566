import Foundation
import Testing
@testable import Calibration
import CostModel
import Hardware

/// Relative closeness of a hand calculation and the code (they differ by rounding only).
private func near(_ a: Double, _ b: Double, _ tolerance: Double = 1e-9) -> Bool {
    abs(a - b) <= tolerance * max(abs(a), abs(b), 1e-300)
}

/// The small mechanisms of calibration and comparison, each against a value worked out by hand.
@Suite struct CalibrationMechanismTests {
    /// R^2 = 1 - SS_res / SS_tot about the mean: measured 1, 2, 3 (mean 2, SS_tot 2) against
    /// fitted 1, 2, 4 (SS_res 1) gives 0.5.
    @Test func coefficientOfDetermination() {
        #expect(CollectiveFit.coefficientOfDetermination(measured: [1, 2, 3], fitted: [1, 2, 4]) == 0.5)
        #expect(CollectiveFit.coefficientOfDetermination(measured: [5, 5], fitted: [5, 5]) == 1)
    }

    @Test func medianOfOddAndEvenCounts() {
        #expect(median([3, 1, 2]) == 2)
        #expect(median([4, 1, 3, 2]) == 2.5)
        #expect(median([]) == 0)
    }

    /// Huber weights: residuals within k = 1.345 x 1.4826 x median |r| weigh 1, beyond it k/|r|.
    /// Median |r| = 0.01, so k = 0.019941; the 0.1 outlier weighs 0.19941.
    @Test func huberWeights() {
        let weights = RobustRegression.reweight([0.01, -0.01, 0.01, -0.01, 0.1], loss: .huber)
        let k = 1.345 * 1.4826 * 0.01
        #expect(weights.prefix(4).allSatisfy { $0 == 1 })
        #expect(near(weights[4], k / 0.1))
    }

    /// Link rates are in bits per second: 200 Gbit/s (HDR InfiniBand) is 25 GB/s.
    @Test func linkRates() {
        let hdr = LinkRate(parsing: "200gbit")
        #expect(hdr?.gigabytesPerSecond == 25)
        #expect(hdr?.description == "200gbit")
        #expect(LinkRate(parsing: "fast") == nil)
    }

    /// Without `ranks_per_host`, 3 ranks on 2 hosts put 2 on the fuller host (ceil(3 / 2)).
    @Test func ranksPerHostDefaultsToTheFullerHost() throws {
        let text = """
            {"collective": "allreduce", "ranks": 3, "results": [
              {"bytes": 1024, "time_us": {"min": 2.0, "avg": 2.1, "max": 2.2}},
              {"bytes": 2048, "time_us": {"min": 2.5, "avg": 2.6, "max": 2.7}}],
             "environment": {"hosts": 2}}
            """
        let run = try BenchmarkRun.parse(Data(text.utf8), file: "run.json")
        #expect(run.ranksPerHost == 2 && run.tier == "scale_out")
    }

    /// compare-collectives: the error is (predicted - measured) / measured. 1 GB all-reduced by
    /// 8 GPUs of one DGX A100 is predicted at 6 us + 1.75 x 1 GB / (300 GB/s NVLink x 0.77 nccl-tests
    /// bus efficiency, Topologies/dgx-a100-80gb.yaml); measured 10 ms.
    @Test func comparisonErrorIsRelativeToTheMeasurement() throws {
        let run = BenchmarkRun(file: "x.json", collective: "allreduce", kind: .allReduce, ranks: 8, hosts: 1, ranksPerHost: 8,
                               samples: [BenchmarkSample(bytes: 1_000_000_000, minUs: 9000, avgUs: 10000, maxUs: 11000)])
        let comparison = try CollectiveComparison.compare(runs: [run], cluster: dgxA100())
        let predictedUs = 1e6 * (6e-6 + 1.75 * 1e9 / (300e9 * 0.77))
        #expect(near(comparison.rows[0].predictedUs, predictedUs))
        #expect(near(comparison.rows[0].error, (predictedUs - 10000) / 10000))
        #expect(near(comparison.medianAbsError, abs(predictedUs - 10000) / 10000))
    }

    /// A split must remove at least a quarter of the error: a bandwidth 10% higher above 512 KiB,
    /// under alternating +-20% noise no line can follow, stays one segment (a further segment
    /// would only chase the noise); without the quarter rule the same data is cut up.
    @Test func noisyLineStaysOneSegment() throws {
        var samples: [(bytes: Int, microseconds: Double)] = []
        for i in 0..<20 {
            let bytes = 1024 << i
            let bytesPerMicrosecond: Double = i < 10 ? 10_000 : 11_000
            let noise: Double = i % 2 == 0 ? 1.2 : 0.8
            samples.append((bytes: bytes, microseconds: (10 + Double(bytes) / bytesPerMicrosecond) * noise))
        }
        #expect(try CollectiveFit.segmented(.allReduce, tier: "scale_up", ranks: 2, samples: samples, source: "x").count == 1)
        #expect(try CollectiveFit.segmented(.allReduce, tier: "scale_up", ranks: 2, samples: samples, source: "x",
                                            improvementToSplit: 0).count > 1)
    }
}

import Calibration
import CostModel
import Foundation
import Hardware
import Testing

/// Synthetic loom-bench measurements: times made with the cost model's own formula, so a fit must
/// give back exactly the parameters they were made with.
enum SyntheticBench {
    /// 1 KiB to 16 MiB, doubling (the range of the calibration targets).
    static let sizes = (10...24).map { 1 << $0 }

    static func samples(_ kind: CollectiveKind, ranks: Int, alphaUs: Double, busGBps: Double,
                        noise: (Int) -> Double = { _ in 1 }) -> [(bytes: Int, microseconds: Double)] {
        let n = Double(ranks)
        return sizes.enumerated().map { index, bytes in
            let t = alphaUs * kind.latencySteps(ranks: n) + kind.busFactor(ranks: n) * Double(bytes) / (busGBps * 1e3)
            return (bytes, t * noise(index))
        }
    }

    static func run(_ kind: CollectiveKind, ranks: Int = 2, hosts: Int = 1, alphaUs: Double, busGBps: Double,
                    file: String = "bench.json") -> BenchmarkRun {
        let samples = samples(kind, ranks: ranks, alphaUs: alphaUs, busGBps: busGBps).map {
            BenchmarkSample(bytes: $0.bytes, minUs: $0.microseconds, avgUs: $0.microseconds, maxUs: $0.microseconds)
        }
        return BenchmarkRun(file: file, collective: kind.rawValue, kind: kind, ranks: ranks, hosts: hosts,
                            ranksPerHost: max(1, ranks / hosts), hostNames: (0..<hosts).map { "host\($0)" },
                            mpiLibrary: "Open MPI v4.1.4, package: Debian OpenMPI", date: "2026-11-22T00:00:00Z",
                            samples: samples)
    }
}

/// The fit recovers what the formula of `CollectiveCost` was given (Thakur et al. 2005 alpha-beta
/// costs, nccl-tests bus factors), and stays put when a few sizes are disturbed.
@Suite struct CollectiveFitTests {
    @Test(arguments: CollectiveKind.allCases)
    func exactDataGivesBackItsParameters(kind: CollectiveKind) throws {
        for ranks in [2, 3, 8, 64] {
            let samples = SyntheticBench.samples(kind, ranks: ranks, alphaUs: 3.5, busGBps: 42)
            let fit = try CollectiveFit.fit(kind, tier: "scale_up", ranks: ranks, samples: samples, source: "synthetic")
            #expect(abs(fit.alphaUs / 3.5 - 1) < 1e-6, "\(kind) \(ranks): alpha \(fit.alphaUs)")
            #expect(abs(fit.busBandwidthGbps / 42 - 1) < 1e-6, "\(kind) \(ranks): busbw \(fit.busBandwidthGbps)")
            #expect(fit.rSquared > 0.999_999 && fit.rSquaredLog > 0.999_999)
            #expect(fit.maxAbsError < 1e-6)
            #expect(fit.points.count == SyntheticBench.sizes.count)
        }
    }

    @Test(arguments: FitLoss.allCases)
    func everyLossRecoversExactData(loss: FitLoss) throws {
        let samples = SyntheticBench.samples(.allGather, ranks: 4, alphaUs: 0.8, busGBps: 3)
        let fit = try CollectiveFit.fit(.allGather, tier: "scale_up", ranks: 4, samples: samples, loss: loss, source: "s")
        #expect(abs(fit.alphaUs / 0.8 - 1) < 1e-4 && abs(fit.busBandwidthGbps / 3 - 1) < 1e-4, "\(loss)")
    }

    /// Latency-free data (alpha = 0) is on the boundary a, b >= 0 and must be found there.
    @Test func zeroLatencyIsFoundOnTheBoundary() throws {
        let samples = SyntheticBench.samples(.sendRecv, ranks: 2, alphaUs: 0, busGBps: 12)
        let fit = try CollectiveFit.fit(.sendRecv, tier: "scale_up", ranks: 2, samples: samples, source: "s")
        #expect(fit.alphaUs < 1e-6)
        #expect(abs(fit.busBandwidthGbps / 12 - 1) < 1e-6)
    }

    /// Two sizes 10x too slow (a scheduler hiccup) move the Huber fit by little; least squares
    /// moves further.
    @Test func huberShrugsOffOutliers() throws {
        let disturbed: (Int) -> Double = { index in index == 3 || index == 11 ? 10 : 1 }
        let samples = SyntheticBench.samples(.allReduce, ranks: 2, alphaUs: 2, busGBps: 8, noise: disturbed)
        let huber = try CollectiveFit.fit(.allReduce, tier: "scale_up", ranks: 2, samples: samples, loss: .huber, source: "s")
        let lad = try CollectiveFit.fit(.allReduce, tier: "scale_up", ranks: 2, samples: samples, loss: .lad, source: "s")
        let squares = try CollectiveFit.fit(.allReduce, tier: "scale_up", ranks: 2, samples: samples,
                                            loss: .leastSquares, source: "s")
        #expect(abs(huber.busBandwidthGbps / 8 - 1) < 0.05, "\(huber.busBandwidthGbps)")
        #expect(abs(lad.busBandwidthGbps / 8 - 1) < 0.01, "\(lad.busBandwidthGbps)")
        #expect(abs(squares.busBandwidthGbps / 8 - 1) > abs(huber.busBandwidthGbps / 8 - 1))
        // The residual table shows where the disturbed sizes are.
        #expect(huber.points[3].error < -0.8 && huber.points[11].error < -0.8)
        #expect(huber.medianAbsError < 0.05)
    }

    /// +-5% scatter: parameters within a few percent and R^2 near 1.
    @Test func scatterGivesNearbyParameters() throws {
        let scatter: (Int) -> Double = { index in [1.05, 0.96, 1.02, 0.97, 1.04, 0.95][index % 6] }
        let samples = SyntheticBench.samples(.reduceScatter, ranks: 8, alphaUs: 6, busGBps: 20, noise: scatter)
        let fit = try CollectiveFit.fit(.reduceScatter, tier: "scale_out", ranks: 8, samples: samples, source: "s")
        #expect(abs(fit.busBandwidthGbps / 20 - 1) < 0.05)
        #expect(abs(fit.alphaUs / 6 - 1) < 0.1)
        #expect(fit.rSquared > 0.99)
        #expect(fit.medianAbsError < 0.05)
    }

    /// What is fitted is what is predicted: the calibrated topology makes `CollectiveCost` give the
    /// fitted line, on the tier the run measured.
    @Test(arguments: [1, 2])
    func calibratedTopologyPredictsTheFittedLine(hosts: Int) throws {
        let runs = CollectiveKind.allCases.map { SyntheticBench.run($0, ranks: 4, hosts: hosts, alphaUs: 1.5, busGBps: 30) }
        let result = try Calibration.calibrate(runs: runs, base: dgxA100(), name: "calibrated")
        #expect(result.entries.count == CollectiveKind.allCases.count)
        for (run, rated) in zip(runs, result.fits) {
            for sample in run.samples {
                let cost = 1e6 * CollectiveCost.seconds(run.kind, bytes: Double(sample.bytes), group: run.group,
                                                        cluster: result.topology)
                let line = rated.fit.predictedMicroseconds(bytes: Double(sample.bytes))
                #expect(abs(cost / line - 1) < 1e-12, "\(run.kind) \(sample.bytes)")
                #expect(abs(cost / sample.avgUs - 1) < 1e-6)
            }
        }
        let comparison = try CollectiveComparison.compare(runs: runs, cluster: result.topology)
        #expect(comparison.medianAbsError < 1e-6)
        #expect(comparison.rows.count == runs.count * SyntheticBench.sizes.count)
    }
}

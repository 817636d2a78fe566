import CostModel
import Foundation
import Hardware

/// The alpha-beta parameters of one collective on one tier, fitted to measured times with the
/// same formula `CollectiveCost` predicts with, so that what is fitted is what is predicted:
///
///     time(bytes) = alpha x latencySteps(n) + beta x busFactor(n) x bytes
///
/// with `CollectiveKind.latencySteps` (the algorithm's latency terms: ring, recursive doubling or
/// tree; Thakur, Rabenseifner and Gropp 2005, "Optimization of Collective Communication
/// Operations in MPICH", section 4) and `CollectiveKind.busFactor` (nccl-tests doc/PERFORMANCE.md:
/// the bytes each rank must move over its link, relative to the buffer). alpha is per latency
/// step in microseconds; beta is microseconds per bus byte, the inverse of the bus bandwidth.
public struct CollectiveFit: Sendable, Hashable, Codable {
    /// One measured size and what the fitted line says about it.
    public struct Point: Sendable, Hashable, Codable {
        public var bytes: Int
        public var measuredUs: Double
        public var fittedUs: Double
        /// (fitted - measured) / measured.
        public var error: Double
    }

    /// `CollectiveKind` raw value (the calibration entry's `collective`).
    public var collective: String
    /// `scale_up` or `scale_out`.
    public var tier: String
    public var ranks: Int
    /// `CollectiveKind.latencySteps(ranks:)` for these ranks.
    public var latencySteps: Double
    /// `CollectiveKind.busFactor(ranks:)` for these ranks.
    public var busFactor: Double
    /// Per-step latency, microseconds.
    public var alphaUs: Double
    /// Microseconds per bus byte.
    public var betaUsPerByte: Double
    /// Coefficient of determination on the times themselves (dominated by the largest sizes).
    public var rSquared: Double
    /// Coefficient of determination on log10 of the times (every size counts alike).
    public var rSquaredLog: Double
    /// Median |error| over the points.
    public var medianAbsError: Double
    /// Largest |error| over the points.
    public var maxAbsError: Double
    /// Per size, smallest first; several runs of one size give several points.
    public var points: [Point]
    /// The message sizes this fit holds for when it is one segment of a piecewise fit
    /// (`segmented`); nil for the first segment's lower and the last segment's upper end.
    public var minBytes: Double?
    public var maxBytes: Double?

    /// The bus bandwidth 1 / beta, in GB/s (1e9 bytes/s).
    public var busBandwidthGbps: Double { betaUsPerByte > 0 ? 1e-3 / betaUsPerByte : .infinity }

    /// The entry a topology file stores (`calibration:` in Topologies/README.md).
    public var calibration: CollectiveCalibration {
        CollectiveCalibration(collective: collective, tier: tier, ranks: ranks, alphaUs: alphaUs,
                              betaUsPerByte: betaUsPerByte, minBytes: minBytes, maxBytes: maxBytes)
    }

    /// The time the fitted formula gives for `bytes`, in microseconds: exactly what
    /// `CollectiveCost.seconds` returns (x 1e6) for a topology holding `calibration`.
    public func predictedMicroseconds(bytes: Double) -> Double {
        Self.microseconds(alphaUs: alphaUs, betaUsPerByte: betaUsPerByte, latencySteps: latencySteps,
                          busFactor: busFactor, bytes: bytes)
    }

    static func microseconds(alphaUs: Double, betaUsPerByte: Double, latencySteps: Double, busFactor: Double,
                             bytes: Double) -> Double {
        alphaUs * latencySteps + betaUsPerByte * busFactor * bytes
    }
}

extension CollectiveFit {
    /// Fits alpha and beta of `kind` over `ranks` ranks to (bytes, microseconds) samples.
    ///
    /// - Throws: `CalibrationError` when there are fewer than two distinct sizes (nothing to
    ///   fit), a time is not positive, or the times do not grow with size (no bandwidth term).
    ///   `source` names the measurements in those messages.
    public static func fit(_ kind: CollectiveKind, tier: String, ranks: Int,
                           samples: [(bytes: Int, microseconds: Double)], loss: FitLoss = .huber,
                           source: String) throws -> CollectiveFit {
        guard ranks >= 2 else {
            throw CalibrationError("\(source): \(ranks) rank(s): a collective needs at least 2 ranks to move data")
        }
        if let bad = samples.first(where: { !($0.microseconds.isFinite && $0.microseconds > 0) }) {
            throw CalibrationError("\(source): time \(bad.microseconds) us at \(bad.bytes) bytes, must be positive")
        }
        if let bad = samples.first(where: { $0.bytes <= 0 }) {
            throw CalibrationError("\(source): message size \(bad.bytes) bytes, must be positive")
        }
        let sizes = Set(samples.map(\.bytes))
        guard sizes.count >= 2 else {
            let only = sizes.first.map { "only one message size (\($0) bytes)" } ?? "no message sizes"
            throw CalibrationError("\(source): \(only): nothing to fit a latency and a bandwidth to; "
                                       + "run loom-bench over a range of sizes (e.g. --min-bytes 1K --max-bytes 16M)")
        }
        let n = Double(ranks)
        let steps = kind.latencySteps(ranks: n)
        let factor = kind.busFactor(ranks: n)
        let sorted = samples.sorted { ($0.bytes, $0.microseconds) < ($1.bytes, $1.microseconds) }
        let u = sorted.map { _ in steps }
        let v = sorted.map { factor * Double($0.bytes) }
        let t = sorted.map(\.microseconds)
        guard let solution = AlphaBetaRegression.fit(u: u, v: v, t: t, loss: loss) else {
            let first = sorted.first.map { "\($0.microseconds) us at \($0.bytes) bytes" } ?? ""
            let last = sorted.last.map { "\($0.microseconds) us at \($0.bytes) bytes" } ?? ""
            throw CalibrationError("\(source): the times do not grow with message size (\(first), \(last)): "
                                       + "there is no bandwidth to fit")
        }
        var fit = CollectiveFit(collective: kind.rawValue, tier: tier, ranks: ranks, latencySteps: steps,
                                busFactor: factor, alphaUs: solution.a, betaUsPerByte: solution.b, rSquared: 0,
                                rSquaredLog: 0, medianAbsError: 0, maxAbsError: 0, points: [])
        fit.setPoints(sorted)
        return fit
    }

    /// Recomputes the points and quality figures of `samples` against the current alpha and beta.
    mutating func setPoints(_ samples: [(bytes: Int, microseconds: Double)]) {
        points = samples.map { sample in
            let fitted = predictedMicroseconds(bytes: Double(sample.bytes))
            return Point(bytes: sample.bytes, measuredUs: sample.microseconds, fittedUs: fitted,
                         error: (fitted - sample.microseconds) / sample.microseconds)
        }
        rSquared = Self.coefficientOfDetermination(measured: points.map(\.measuredUs), fitted: points.map(\.fittedUs))
        rSquaredLog = Self.coefficientOfDetermination(measured: points.map { log10($0.measuredUs) },
                                                      fitted: points.map { log10(max($0.fittedUs, 1e-300)) })
        let errors = points.map { abs($0.error) }
        medianAbsError = median(errors)
        maxAbsError = errors.max() ?? 0
    }

    /// 1 - SS_res / SS_tot; 1 when the measurements do not vary and are matched exactly.
    static func coefficientOfDetermination(measured: [Double], fitted: [Double]) -> Double {
        guard !measured.isEmpty else { return 0 }
        let mean = measured.reduce(0, +) / Double(measured.count)
        var residual = 0.0, total = 0.0
        for (m, f) in zip(measured, fitted) {
            residual += (m - f) * (m - f)
            total += (m - mean) * (m - mean)
        }
        if total == 0 { return residual == 0 ? 1 : 0 }
        return 1 - residual / total
    }
}

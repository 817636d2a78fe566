import CostModel
import Foundation

/// A link rate in bits per second, written as `tc` writes rates: `100mbit`, `2.5gbit`, `400kbit`,
/// `1000000bit` (SI prefixes, bits; a bare number is bits per second).
public struct LinkRate: Sendable, Hashable, Codable, CustomStringConvertible {
    public var bitsPerSecond: Double

    public init(bitsPerSecond: Double) {
        self.bitsPerSecond = bitsPerSecond
    }

    /// Parses `100mbit`, `1gbit`, `1.5Gbit`, `2e8`; nil for anything else or a rate that is not
    /// a positive finite number.
    public init?(parsing text: String) {
        let lower = text.trimmingCharacters(in: .whitespaces).lowercased()
        let units: [(suffix: String, factor: Double)] = [("tbit", 1e12), ("gbit", 1e9), ("mbit", 1e6), ("kbit", 1e3),
                                                         ("bit", 1)]
        var number = Substring(lower)
        var factor = 1.0
        if let unit = units.first(where: { lower.hasSuffix($0.suffix) }) {
            number = lower.dropLast(unit.suffix.count)
            factor = unit.factor
        }
        guard let value = Double(number), value.isFinite, value > 0, (value * factor).isFinite else { return nil }
        bitsPerSecond = value * factor
    }

    /// `100mbit`-style text.
    public var description: String {
        for (suffix, factor) in [("gbit", 1e9), ("mbit", 1e6), ("kbit", 1e3)] where bitsPerSecond >= factor {
            return String(format: "%g", bitsPerSecond / factor) + suffix
        }
        return String(format: "%g", bitsPerSecond) + "bit"
    }

    /// Bytes per second / 1e9, the unit of topology bandwidths.
    public var gigabytesPerSecond: Double { bitsPerSecond / 8 / 1e9 }
}

/// How the cost of one collective changes with the link rate, from runs at two or more rates of
/// the same fabric (for example `tc tbf` limits on the hosts' links), fitted jointly over every
/// size at every rate:
///
///     time(bytes, rate) = alpha x latencySteps + (beta0 + beta1 / rate) x busFactor x bytes
///
/// beta0 is the per-byte cost that does not depend on the wire (copies, the TCP stack, shared
/// memory); beta1 / rate is the wire: an ideal link gives beta1 = 8 bits per byte / efficiency, so
/// `wireEfficiency` is the fraction of the link rate the collective's bus bandwidth reaches
/// (nccl-tests doc/PERFORMANCE.md). alpha is one latency for all rates: fitting it per rate and
/// interpolating would amplify its noise, since runs whose sizes are bandwidth-bound barely pin it.
/// The fit is the robust log-residual fit of `CollectiveFit` with a third non-negative column.
public struct LinkRateModel: Sendable, Hashable, Codable {
    public var collective: String
    public var tier: String
    public var ranks: Int
    /// The rates the runs were made at, bits per second.
    public var rates: [Double]
    public var alphaUs: Double
    public var beta0UsPerByte: Double
    /// Microseconds per byte x bits per second.
    public var beta1: Double
    /// Median |error| of the joint fit over every size at every rate.
    public var medianAbsError: Double

    /// Fraction of the link rate reached by bus bytes on the wire: 8 bits per byte over beta1.
    public var wireEfficiency: Double { beta1 > 0 ? 8e6 / beta1 : 0 }

    /// Alpha and beta at `rate`.
    public func parameters(at rate: LinkRate) -> (alphaUs: Double, betaUsPerByte: Double) {
        (alphaUs, beta0UsPerByte + beta1 / rate.bitsPerSecond)
    }

    /// The joint fit of `kind` over runs at several rates.
    ///
    /// - Throws: `CalibrationError` when fewer than two distinct rates are given or no
    ///   non-negative (alpha, beta0, beta1) with a bandwidth term fits.
    public static func fit(_ kind: CollectiveKind, tier: String, ranks: Int,
                           runs: [(rate: LinkRate, samples: [(bytes: Int, microseconds: Double)])],
                           loss: FitLoss = .huber) throws -> LinkRateModel {
        let rates = Set(runs.map(\.rate.bitsPerSecond))
        guard rates.count >= 2 else {
            let only = runs.first.map { " (\($0.rate))" } ?? ""
            throw CalibrationError("\(kind.rawValue) on \(tier) was measured at one link rate\(only) only: "
                                       + "a rate model needs runs at two or more rates")
        }
        let n = Double(ranks)
        let steps = kind.latencySteps(ranks: n)
        let factor = kind.busFactor(ranks: n)
        var u: [Double] = [], v0: [Double] = [], v1: [Double] = [], t: [Double] = []
        for run in runs {
            for sample in run.samples {
                u.append(steps)
                v0.append(factor * Double(sample.bytes))
                v1.append(factor * Double(sample.bytes) / run.rate.bitsPerSecond)
                t.append(sample.microseconds)
            }
        }
        guard let c = RobustRegression.fit(columns: [u, v0, v1], t: t, loss: loss), c.count == 3, c[1] + c[2] > 0 else {
            throw CalibrationError("\(kind.rawValue) on \(tier): no latency and rate-dependent bandwidth fit the runs "
                                       + "at \(rates.sorted().map { LinkRate(bitsPerSecond: $0).description }.joined(separator: ", "))")
        }
        let errors = t.indices.map { i in abs((c[0] * u[i] + c[1] * v0[i] + c[2] * v1[i]) / t[i] - 1) }
        return LinkRateModel(collective: kind.rawValue, tier: tier, ranks: ranks, rates: rates.sorted(), alphaUs: c[0],
                             beta0UsPerByte: c[1], beta1: c[2], medianAbsError: median(errors))
    }
}

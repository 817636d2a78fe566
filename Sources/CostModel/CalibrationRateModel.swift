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

/// How the fitted alpha and beta of one collective change with the link rate, from fits at two or
/// more rates of the same fabric (for example `tc tbf` limits on the hosts' links):
///
///     beta(rate)  = beta0  + beta1  / rate
///     alpha(rate) = alpha0 + alpha1 / rate
///
/// beta0 is the per-byte cost that does not depend on the wire (copies, the TCP stack, shared
/// memory); beta1 / rate is the wire: an ideal link gives beta1 = 8 bits / efficiency, so
/// `wireEfficiency` is the fraction of the link rate the collective's bus bandwidth reaches
/// (nccl-tests doc/PERFORMANCE.md). alpha gets the same form because a rate limiter also delays
/// small messages (a token bucket holds back what exceeds its burst). Each parameter is an
/// ordinary least-squares line in 1/rate (exact for two rates); predictions are clamped at zero.
public struct LinkRateModel: Sendable, Hashable, Codable {
    public var collective: String
    public var tier: String
    public var ranks: Int
    /// The rates the fits were made at, bits per second.
    public var rates: [Double]
    public var alpha0Us: Double
    /// Microseconds x bits per second.
    public var alpha1: Double
    public var beta0UsPerByte: Double
    /// Microseconds per byte x bits per second.
    public var beta1: Double

    /// Fraction of the link rate reached by bus bytes on the wire: 8 bits per byte over beta1.
    public var wireEfficiency: Double { beta1 > 0 ? 8e6 / beta1 : 0 }

    /// Alpha and beta at `rate` (clamped at zero).
    public func parameters(at rate: LinkRate) -> (alphaUs: Double, betaUsPerByte: Double) {
        let inverse = 1 / rate.bitsPerSecond
        return (max(alpha0Us + alpha1 * inverse, 0), max(beta0UsPerByte + beta1 * inverse, 0))
    }

    /// The model through fits of one collective and tier at several rates.
    ///
    /// - Throws: `CalibrationError` when fewer than two distinct rates are given.
    public static func fit(_ fits: [(rate: LinkRate, fit: CollectiveFit)]) throws -> LinkRateModel {
        guard let first = fits.first else { throw CalibrationError("no fits to model the link rate with") }
        let rates = Set(fits.map(\.rate.bitsPerSecond))
        guard rates.count >= 2 else {
            throw CalibrationError("\(first.fit.collective) on \(first.fit.tier) was measured at one link rate "
                                       + "(\(first.rate)) only: a rate model needs runs at two or more rates")
        }
        let x = fits.map { 1 / $0.rate.bitsPerSecond }
        let alpha = line(x: x, y: fits.map(\.fit.alphaUs))
        let beta = line(x: x, y: fits.map(\.fit.betaUsPerByte))
        return LinkRateModel(collective: first.fit.collective, tier: first.fit.tier, ranks: first.fit.ranks,
                             rates: rates.sorted(), alpha0Us: alpha.intercept, alpha1: alpha.slope,
                             beta0UsPerByte: beta.intercept, beta1: beta.slope)
    }

    /// Least-squares y = intercept + slope x (x has at least two distinct values).
    static func line(x: [Double], y: [Double]) -> (intercept: Double, slope: Double) {
        let n = Double(x.count)
        let meanX = x.reduce(0, +) / n
        let meanY = y.reduce(0, +) / n
        var sxy = 0.0, sxx = 0.0
        for (xi, yi) in zip(x, y) {
            sxy += (xi - meanX) * (yi - meanY)
            sxx += (xi - meanX) * (xi - meanX)
        }
        let slope = sxx > 0 ? sxy / sxx : 0
        return (meanY - slope * meanX, slope)
    }
}

import Foundation

/// How an axis maps data values to pixels: linear, or logarithmic (base 10 for the labels,
/// any positive values).
public enum AxisKind: String, Sendable, Hashable {
    case linear
    case log
}

/// One axis of a chart: a data range, its kind and the pixel interval it maps to, with the
/// tick positions a reader needs (1-2-5 steps on linear axes, decades or 1-2-5 per decade on
/// log axes).
struct ChartScale: Sendable {
    var kind: AxisKind
    var lower: Double
    var upper: Double
    /// Pixel coordinates of `lower` and `upper` (for a y axis the first is the larger).
    var start: Double
    var end: Double

    /// A scale covering `values`; linear scales start at zero unless `includeZero` is false,
    /// log scales ignore non-positive values. A degenerate range is widened so it maps.
    init(kind: AxisKind, values: [Double], start: Double, end: Double, includeZero: Bool = true,
         padFraction: Double = 0.05) {
        self.kind = kind
        self.start = start
        self.end = end
        // Clamped so the padded range and its logarithms stay finite.
        let finite = values.filter { $0.isFinite && (kind == .linear || $0 > 0) }.map { min(max($0, -1e300), 1e300) }
            .map { kind == .log ? max($0, 1e-300) : $0 }
        var lo = finite.min() ?? (kind == .log ? 1 : 0)
        var hi = finite.max() ?? (kind == .log ? 10 : 1)
        switch kind {
        case .linear:
            if includeZero { lo = min(lo, 0); hi = max(hi, 0) }
            if hi - lo <= 0 { hi = lo + 1 }
            // Headroom so the largest value (or a marker) does not sit on the frame.
            hi += (hi - lo) * padFraction
            let step = ChartScale.niceStep((hi - lo) / 5)
            hi = (hi / step).rounded(.up) * step
            if !includeZero { lo = (lo / step).rounded(.down) * step }
        case .log:
            if hi <= lo { hi = lo * 10; lo /= 10 }
            // A little room so end points do not sit on the frame.
            let span = log10(hi) - log10(lo)
            lo = pow(10, log10(lo) - max(span, 0.3) * padFraction)
            hi = pow(10, log10(hi) + max(span, 0.3) * padFraction)
        }
        lower = lo
        upper = hi
    }

    /// Pixel position of `value` (clamped into the range).
    func position(_ value: Double) -> Double {
        let t: Double
        switch kind {
        case .linear:
            t = (value - lower) / (upper - lower)
        case .log:
            let v = max(value, lower)
            t = (log10(v) - log10(lower)) / (log10(upper) - log10(lower))
        }
        let clamped = t.isFinite ? min(max(t, 0), 1) : 0
        return start + (end - start) * clamped
    }

    /// Tick values inside the range.
    func ticks() -> [Double] {
        switch kind {
        case .linear:
            let step = ChartScale.niceStep((upper - lower) / 5)
            guard step > 0, step.isFinite else { return [lower, upper] }
            var ticks: [Double] = []
            var value = (lower / step).rounded(.up) * step
            while value <= upper + step * 1e-9 && ticks.count < 50 {
                ticks.append(abs(value) < step * 1e-9 ? 0 : value)
                value += step
            }
            return ticks
        case .log:
            guard lower > 0, lower.isFinite, upper.isFinite, upper > lower else { return [] }
            let firstDecade = Int(floor(log10(lower)))
            let lastDecade = Int(ceil(log10(upper)))
            guard lastDecade - firstDecade < 40 else { return [lower, upper] }
            let inRange = { (v: Double) in v >= lower * (1 - 1e-9) && v <= upper * (1 + 1e-9) }
            for multipliers in [[1.0], [1.0, 2.0, 5.0], [1.0, 2.0, 3.0, 5.0, 7.0]] {
                var ticks: [Double] = []
                for decade in firstDecade...lastDecade {
                    for m in multipliers {
                        let v = m * pow(10, Double(decade))
                        if inRange(v) { ticks.append(v) }
                    }
                }
                if ticks.count >= 3 || multipliers.count == 5 { return ticks }
            }
            return [lower, upper]
        }
    }

    /// 1, 2 or 5 times a power of ten, at least `raw`.
    static func niceStep(_ raw: Double) -> Double {
        guard raw > 0, raw.isFinite else { return 1 }
        let magnitude = pow(10, floor(log10(raw)))
        for m in [1.0, 2.0, 5.0, 10.0] where m * magnitude >= raw * (1 - 1e-12) {
            return m * magnitude
        }
        return 10 * magnitude
    }
}

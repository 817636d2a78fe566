import Foundation

/// How the fit weighs points that disagree with the line.
///
/// Residuals are logarithmic, r = ln(fitted / measured) (about the relative error when small):
/// benchmark sizes span four to seven orders of magnitude of time, and an absolute least-squares
/// fit would spend all its freedom on the largest sizes and miss the small ones by factors (the
/// latency end is what alpha is).
public enum FitLoss: String, Sendable, Hashable, Codable, CaseIterable {
    /// Huber's loss by iteratively reweighted least squares: quadratic within k = 1.345 robust
    /// standard deviations (1.4826 x the median |r|), linear beyond; 95% efficient on Gaussian
    /// noise, and one noisy size (a scheduler hiccup, a protocol switch) cannot drag the line.
    case huber
    /// Least absolute deviation by IRLS (weights 1/|r|): minimises the mean |log error|.
    case lad
    /// Ordinary least squares on log residuals (no down-weighting), for comparison.
    case leastSquares = "ls"

    /// One line for reports and provenance.
    public var summary: String {
        switch self {
        case .huber: return "Huber IRLS (k = 1.345 x 1.4826 MAD) on log residuals"
        case .lad: return "least absolute deviation (IRLS) on log residuals"
        case .leastSquares: return "least squares on log residuals"
        }
    }
}

/// A robust fit of t = a x u + b x v with a, b >= 0 through points (u_i, v_i, t_i), t_i > 0, on
/// log residuals. For a collective, u is its latency steps and v its bus bytes, so a is the
/// per-step latency alpha and b the inverse bus bandwidth beta (Thakur et al. 2005, section 2).
enum AlphaBetaRegression {
    struct Solution: Equatable {
        var a: Double
        var b: Double
    }

    /// The fit, or nil when the points cannot determine a line with b > 0 (fewer than two
    /// distinct v, or no positive bandwidth term).
    static func fit(u: [Double], v: [Double], t: [Double], loss: FitLoss) -> Solution? {
        let n = min(u.count, v.count, t.count)
        guard n >= 2 else { return nil }
        // Rows divided by t_i: fitting 1 = a (u/t) + b (v/t) makes every residual relative.
        // Columns are scaled to unit maximum so that the 2x2 normal equations are well conditioned.
        var x1 = (0..<n).map { u[$0] / t[$0] }
        var x2 = (0..<n).map { v[$0] / t[$0] }
        let scale1 = x1.map(abs).max() ?? 0
        let scale2 = x2.map(abs).max() ?? 0
        guard scale2 > 0, scale2.isFinite, scale1.isFinite else { return nil }
        if scale1 > 0 { x1 = x1.map { $0 / scale1 } }
        x2 = x2.map { $0 / scale2 }

        // Start from least squares on relative residuals, then minimise the robust loss of the
        // log residuals ln(fitted / measured) by iteratively reweighted Gauss-Newton steps. Log
        // residuals are symmetric: a relative residual is bounded by -1 below (a fit can never be
        // more than 100% too fast) but unbounded above, which biases relative fits towards
        // predicting too little when the points scatter by factors.
        guard var current = constrainedSolve(x1, x2, [Double](repeating: 1, count: n)) else { return nil }
        if current.b <= 0 { current.b = 1 / Double(n) }
        for _ in 0..<100 {
            guard let residuals = logResiduals(current, x1, x2) else { break }
            let weights = reweight(residuals, loss: loss)
            guard let next = gaussNewtonStep(from: current, x1, x2, residuals, weights) else { break }
            let change = abs(next.a - current.a) + abs(next.b - current.b)
            let size = abs(next.a) + abs(next.b)
            current = next
            if change <= 1e-10 * max(size, 1e-300) { break }
        }
        let a = scale1 > 0 ? current.a / scale1 : 0
        let b = current.b / scale2
        guard b > 0, a.isFinite, b.isFinite else { return nil }
        return Solution(a: max(a, 0), b: b)
    }

    /// IRLS weights for the residuals under `loss`.
    static func reweight(_ residuals: [Double], loss: FitLoss) -> [Double] {
        switch loss {
        case .leastSquares:
            return residuals.map { _ in 1 }
        case .lad:
            return residuals.map { 1 / max(abs($0), 1e-7) }
        case .huber:
            // Robust scale: 1.4826 x median |r| (the MAD about the line), floored at 0.1% so a
            // perfect fit does not divide by zero.
            let scale = max(1.4826 * median(residuals.map(abs)), 1e-3)
            let k = 1.345 * scale
            return residuals.map { abs($0) <= k ? 1 : k / abs($0) }
        }
    }

    /// ln(a x1_i + b x2_i) for every point (each term is fitted / measured), or nil when a fitted
    /// time is not positive.
    static func logResiduals(_ s: Solution, _ x1: [Double], _ x2: [Double]) -> [Double]? {
        var residuals: [Double] = []
        for i in x1.indices {
            let q = s.a * x1[i] + s.b * x2[i]
            guard q > 0, q.isFinite else { return nil }
            residuals.append(log(q))
        }
        return residuals
    }

    /// One Gauss-Newton step on sum w_i ln(q_i)^2 (q_i = a x1_i + b x2_i; d ln q / d(a, b) =
    /// (x1, x2) / q), kept in a, b >= 0 and halved until the weighted sum decreases; nil when no
    /// step improves it.
    static func gaussNewtonStep(from s: Solution, _ x1: [Double], _ x2: [Double], _ residuals: [Double],
                                _ w: [Double]) -> Solution? {
        var s11 = 0.0, s12 = 0.0, s22 = 0.0, g1 = 0.0, g2 = 0.0
        for i in x1.indices {
            let q = s.a * x1[i] + s.b * x2[i]
            let j1 = x1[i] / q, j2 = x2[i] / q
            s11 += w[i] * j1 * j1
            s12 += w[i] * j1 * j2
            s22 += w[i] * j2 * j2
            g1 += w[i] * j1 * residuals[i]
            g2 += w[i] * j2 * residuals[i]
        }
        var da = 0.0, db = 0.0
        let determinant = s11 * s22 - s12 * s12
        if abs(determinant) > 1e-12 * max(s11 * s22, 1e-300) {
            da = -(s22 * g1 - s12 * g2) / determinant
            db = -(s11 * g2 - s12 * g1) / determinant
        } else if s22 > 0 {
            db = -g2 / s22
        } else {
            return nil
        }
        func objective(_ t: Solution) -> Double? {
            guard let r = logResiduals(t, x1, x2) else { return nil }
            return zip(w, r).reduce(0) { $0 + $1.0 * $1.1 * $1.1 }
        }
        guard let start = objective(s) else { return nil }
        var step = 1.0
        for _ in 0..<40 {
            let trial = Solution(a: max(s.a + step * da, 0), b: max(s.b + step * db, 0))
            if let value = objective(trial), value <= start { return trial }
            step /= 2
        }
        return nil
    }

    /// Weighted least squares of 1 = a x1 + b x2 over a, b >= 0: the unconstrained solution when
    /// feasible, otherwise the better of the two one-parameter fits on the boundary.
    static func constrainedSolve(_ x1: [Double], _ x2: [Double], _ w: [Double]) -> Solution? {
        var s11 = 0.0, s12 = 0.0, s22 = 0.0, s1y = 0.0, s2y = 0.0
        for i in x1.indices {
            s11 += w[i] * x1[i] * x1[i]
            s12 += w[i] * x1[i] * x2[i]
            s22 += w[i] * x2[i] * x2[i]
            s1y += w[i] * x1[i]
            s2y += w[i] * x2[i]
        }
        var candidates: [Solution] = []
        let determinant = s11 * s22 - s12 * s12
        if abs(determinant) > 1e-12 * max(s11 * s22, 1e-300) {
            let a = (s22 * s1y - s12 * s2y) / determinant
            let b = (s11 * s2y - s12 * s1y) / determinant
            if a >= 0, b >= 0 { candidates.append(Solution(a: a, b: b)) }
        }
        if candidates.isEmpty {
            if s22 > 0 { candidates.append(Solution(a: 0, b: max(s2y / s22, 0))) }
            if s11 > 0 { candidates.append(Solution(a: max(s1y / s11, 0), b: 0)) }
        }
        func objective(_ s: Solution) -> Double {
            var total = 0.0
            for i in x1.indices {
                let r = s.a * x1[i] + s.b * x2[i] - 1
                total += w[i] * r * r
            }
            return total
        }
        return candidates.filter { $0.a.isFinite && $0.b.isFinite }.min { objective($0) < objective($1) }
    }
}

/// The median (mean of the middle two for an even count); 0 when empty.
func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    guard !sorted.isEmpty else { return 0 }
    let middle = sorted.count / 2
    return sorted.count.isMultiple(of: 2) ? (sorted[middle - 1] + sorted[middle]) / 2 : sorted[middle]
}

import CostModel
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
        guard let c = RobustRegression.fit(columns: [u, v], t: t, loss: loss), c.count == 2, c[1] > 0 else { return nil }
        return Solution(a: c[0], b: c[1])
    }
}

/// Non-negative coefficients c of t_i = sum_j c_j X_ji (X_ji >= 0, t_i > 0) that minimise a robust
/// loss of the log residuals r_i = ln(fitted_i / t_i), for a handful of columns.
///
/// Start: non-negative least squares on relative residuals. Then iteratively reweighted
/// Gauss-Newton: with weights w_i from the loss, each step solves the linearised problem
/// min sum w_i (r_i + J_i d)^2 over c + d >= 0, where J_ij = X_ji / fitted_i (the derivative of
/// ln fitted_i); since J_i c = 1 that is a non-negative least-squares problem in c' = c + d with
/// target 1 - r_i. The step is halved until the weighted sum of squares does not increase.
/// Log residuals are symmetric: a relative residual is bounded by -1 below (a fit can never be more
/// than 100% too fast) but unbounded above, which biases relative fits towards predicting too little
/// when the points scatter by factors.
enum RobustRegression {
    static func fit(columns: [[Double]], t: [Double], loss: FitLoss) -> [Double]? {
        let n = t.count
        let k = columns.count
        guard k >= 1, n >= k, columns.allSatisfy({ $0.count == n }) else { return nil }
        // Rows divided by t_i (fitted / measured), columns scaled to unit maximum for conditioning.
        var x: [[Double]] = []
        var scales: [Double] = []
        for column in columns {
            var scaled = (0..<n).map { column[$0] / t[$0] }
            let scale = scaled.map(abs).max() ?? 0
            guard scale.isFinite else { return nil }
            if scale > 0 { scaled = scaled.map { $0 / scale } }
            x.append(scaled)
            scales.append(scale > 0 ? scale : 1)
        }
        let ones = [Double](repeating: 1, count: n)
        guard var c = nonNegativeLeastSquares(x, target: ones, weights: ones) else { return nil }
        for _ in 0..<100 {
            guard let residuals = logResiduals(c, x) else { break }
            let weights = reweight(residuals, loss: loss)
            let fitted = residuals.map { exp($0) }
            let jacobian = x.map { column in (0..<n).map { column[$0] / fitted[$0] } }
            guard let target = nonNegativeLeastSquares(jacobian, target: residuals.map { 1 - $0 }, weights: weights)
            else { break }
            guard let start = weightedSquares(c, x, weights) else { break }
            var step = 1.0
            var accepted: [Double]?
            for _ in 0..<40 {
                let trial = zip(c, target).map { $0 + step * ($1 - $0) }
                if let value = weightedSquares(trial, x, weights), value <= start {
                    accepted = trial
                    break
                }
                step /= 2
            }
            guard let next = accepted else { break }
            let change = zip(next, c).reduce(0) { $0 + abs($1.0 - $1.1) }
            let size = next.reduce(0) { $0 + abs($1) }
            c = next
            if change <= 1e-10 * max(size, 1e-300) { break }
        }
        let coefficients = zip(c, scales).map { $0 / $1 }
        guard coefficients.allSatisfy({ $0.isFinite && $0 >= 0 }) else { return nil }
        return coefficients
    }

    /// ln(fitted_i / t_i) for every point, or nil when a fitted time is not positive.
    static func logResiduals(_ c: [Double], _ x: [[Double]]) -> [Double]? {
        guard let count = x.first?.count else { return nil }
        var residuals: [Double] = []
        for i in 0..<count {
            var q = 0.0
            for (j, column) in x.enumerated() { q += c[j] * column[i] }
            guard q > 0, q.isFinite else { return nil }
            residuals.append(log(q))
        }
        return residuals
    }

    static func weightedSquares(_ c: [Double], _ x: [[Double]], _ w: [Double]) -> Double? {
        guard let r = logResiduals(c, x) else { return nil }
        return zip(w, r).reduce(0) { $0 + $1.0 * $1.1 * $1.1 }
    }

    /// IRLS weights for the residuals under `loss`.
    static func reweight(_ residuals: [Double], loss: FitLoss) -> [Double] {
        switch loss {
        case .leastSquares:
            return residuals.map { _ in 1 }
        case .lad:
            return residuals.map { 1 / max(abs($0), 1e-7) }
        case .huber:
            // Robust scale: 1.4826 x median |r| (the MAD about the fit), floored at 0.1% so a
            // perfect fit does not divide by zero.
            let scale = max(1.4826 * median(residuals.map(abs)), 1e-3)
            let k = 1.345 * scale
            return residuals.map { abs($0) <= k ? 1 : k / abs($0) }
        }
    }

    /// Weighted least squares of y = sum_j c_j x_j over c >= 0, exactly, by trying every set of
    /// free coefficients (there are only a few) and keeping the best feasible solution.
    static func nonNegativeLeastSquares(_ x: [[Double]], target y: [Double], weights w: [Double]) -> [Double]? {
        let k = x.count
        guard k >= 1, k <= 8 else { return nil }
        var best: (value: Double, c: [Double])?
        for mask in 1..<(1 << k) {
            let free = (0..<k).filter { mask & (1 << $0) != 0 }
            var matrix = [[Double]](repeating: [Double](repeating: 0, count: free.count), count: free.count)
            var rhs = [Double](repeating: 0, count: free.count)
            for (p, jp) in free.enumerated() {
                for (q, jq) in free.enumerated() {
                    matrix[p][q] = zip(w, zip(x[jp], x[jq])).reduce(0) { $0 + $1.0 * $1.1.0 * $1.1.1 }
                }
                rhs[p] = zip(w, zip(x[jp], y)).reduce(0) { $0 + $1.0 * $1.1.0 * $1.1.1 }
            }
            guard let solved = solve(matrix, rhs), solved.allSatisfy({ $0 >= 0 && $0.isFinite }) else { continue }
            var c = [Double](repeating: 0, count: k)
            for (p, j) in free.enumerated() { c[j] = solved[p] }
            var value = 0.0
            for i in y.indices {
                var fitted = 0.0
                for j in 0..<k { fitted += c[j] * x[j][i] }
                value += w[i] * (fitted - y[i]) * (fitted - y[i])
            }
            if best == nil || value < (best?.value ?? .infinity) { best = (value, c) }
        }
        return best?.c
    }

    /// Gaussian elimination with partial pivoting; nil when the matrix is (numerically) singular.
    static func solve(_ matrix: [[Double]], _ rhs: [Double]) -> [Double]? {
        var a = matrix
        var b = rhs
        let n = b.count
        let size = a.flatMap { $0 }.map(abs).max() ?? 0
        guard size > 0, size.isFinite else { return nil }
        for column in 0..<n {
            guard let pivot = (column..<n).max(by: { abs(a[$0][column]) < abs(a[$1][column]) }),
                  abs(a[pivot][column]) > 1e-13 * size else { return nil }
            a.swapAt(column, pivot)
            b.swapAt(column, pivot)
            for row in (column + 1)..<n {
                let factor = a[row][column] / a[column][column]
                for j in column..<n { a[row][j] -= factor * a[column][j] }
                b[row] -= factor * b[column]
            }
        }
        var solution = [Double](repeating: 0, count: n)
        for row in stride(from: n - 1, through: 0, by: -1) {
            var sum = b[row]
            for j in (row + 1)..<n { sum -= a[row][j] * solution[j] }
            solution[row] = sum / a[row][row]
        }
        return solution
    }
}

/// The median (mean of the middle two for an even count); 0 when empty.
func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    guard !sorted.isEmpty else { return 0 }
    let middle = sorted.count / 2
    return sorted.count.isMultiple(of: 2) ? (sorted[middle - 1] + sorted[middle]) / 2 : sorted[middle]
}

/// Mean, 90th percentile and maximum of |error| over a set of runs, and the mean signed error
/// (the bias: positive = predicted too high).
///
/// The 90th percentile is the nearest-rank one: the |error| at rank ceil(0.9 n) of the n values
/// sorted ascending (so for n = 10 the 9th smallest, for n = 1 the only one).
public struct ErrorSummary: Sendable, Hashable, Codable {
    public var count: Int
    public var meanError: Double
    public var meanAbsError: Double
    public var p90AbsError: Double
    public var maxAbsError: Double

    /// `errors` are signed relative errors (predicted / measured - 1); all zero when empty.
    public init(errors: [Double]) {
        count = errors.count
        guard !errors.isEmpty else {
            meanError = 0
            meanAbsError = 0
            p90AbsError = 0
            maxAbsError = 0
            return
        }
        let n = Double(errors.count)
        let magnitudes = errors.map(abs).sorted()
        meanError = errors.reduce(0, +) / n
        meanAbsError = magnitudes.reduce(0, +) / n
        let rank = Int((0.9 * n).rounded(.up))
        p90AbsError = magnitudes[min(max(rank, 1), magnitudes.count) - 1]
        maxAbsError = magnitudes[magnitudes.count - 1]
    }
}

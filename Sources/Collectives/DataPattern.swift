/// The values every rank puts in its send buffer, chosen so that results can be checked exactly.
///
/// Element `i` of rank `r`'s send buffer holds `((r mod 251) x 37 + (i mod 251) x 11) mod 251 + 1`:
/// a whole number in 1 ... 251 that differs between ranks at the same index (37 is invertible
/// mod the prime 251) and along the buffer, so a block from the wrong rank or at the wrong offset
/// shows up. Sums over up to 66,000 ranks stay below 2^24, so float sums are exact in any
/// order and a result either matches or is wrong: no tolerance is needed, unlike nccl-tests'
/// random data. Receive buffers are filled with `poison` (-1, never a valid value) before the
/// timed loop, so anything a collective fails to write is counted as wrong.
public struct DataPattern: Sendable {
    /// The period of the pattern in ranks and in indices.
    public static let period = 251
    /// The value placed in receive buffers before the timed loop.
    public static let poison = -1

    /// The value at `index` of `rank`'s send buffer.
    @inline(__always)
    public static func value(rank: Int, index: Int) -> Int {
        ((rank % period) * 37 + (index % period) * 11) % period + 1
    }

    /// `Σ over ranks 0 ..< ranks of value(rank, index)`, tabulated once per run over one period.
    private let sums: [Int]

    public init(ranks: Int) {
        // Over any `period` consecutive ranks the values at one index are 1 ... period in some
        // order (37 is invertible mod 251), so whole periods add period x (period + 1) / 2.
        let ranks = max(0, ranks)
        let wholePeriods = ranks / Self.period
        let perPeriod = Self.period * (Self.period + 1) / 2
        sums = (0 ..< Self.period).map { index in
            (0 ..< ranks % Self.period).reduce(wholePeriods * perPeriod) { $0 + Self.value(rank: $1, index: index) }
        }
    }

    /// The sum over all ranks of their values at `index`.
    @inline(__always)
    public func sumOverRanks(index: Int) -> Int {
        let slot = index % Self.period
        return slot >= 0 && slot < sums.count ? sums[slot] : 0
    }
}

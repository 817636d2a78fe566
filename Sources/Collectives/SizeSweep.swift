/// The message sizes one run measures: from `--min-bytes` doubling up to `--max-bytes`, as
/// nccl-tests (`-f 2`) and OSU do, each turned into an element count the collective can split.
public struct SizeSweep: Sendable {
    /// One size of the sweep: the element count passed to the collective and its bytes.
    public struct Point: Equatable, Sendable {
        /// Elements in the collective's full buffer (nccl-tests' "count").
        public let count: Int
        /// `count` x element size (nccl-tests' "size").
        public let bytes: Int
    }

    public let points: [Point]

    /// Doubling sizes in `minimum ... maximum`. A size becomes `bytes / elementSize` elements,
    /// rounded down to a multiple of `granularity` (the ranks, for collectives that give each
    /// rank an equal block); sizes that round to zero or repeat the previous count are dropped.
    public init(minimum: ByteSize, maximum: ByteSize, elementSize: Int, granularity: Int) {
        var points: [Point] = []
        let step = max(1, granularity)
        var bytes = max(1, minimum.bytes)
        while bytes <= maximum.bytes {
            let elements = bytes / max(1, elementSize)
            let count = elements - elements % step
            if count > 0, count != points.last?.count {
                let (total, overflow) = count.multipliedReportingOverflow(by: elementSize)
                if !overflow { points.append(Point(count: count, bytes: total)) }
            }
            let (next, overflow) = bytes.multipliedReportingOverflow(by: 2)
            if overflow { break }
            bytes = next
        }
        self.points = points
    }

    /// A single point of zero bytes, for operations that move no data (barrier).
    public static let dataless = SizeSweep(points: [Point(count: 0, bytes: 0)])

    init(points: [Point]) { self.points = points }
}

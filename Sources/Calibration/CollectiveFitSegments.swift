import CostModel
import Foundation

extension CollectiveFit {
    /// A piecewise alpha-beta fit: the sizes, smallest first, split into at most `maxSegments`
    /// contiguous ranges, each fitted with `fit` (the same formula `CollectiveCost` predicts with).
    ///
    /// One line per collective cannot follow a bandwidth that changes with message size: on
    /// shared memory a 2-rank transfer runs from L2, then the last-level cache, then DRAM (about
    /// 4x apart on this class of host); NCCL switches between its LL, LL128 and Simple protocols
    /// (nccl src/graph/tuning.cc). The split minimises the sum of |log(fitted / measured)| by
    /// dynamic programming over the split points; a further segment is kept only if it removes
    /// at least `improvementToSplit` of the remaining error, so clean straight-line data stays
    /// one segment.
    public static func segmented(_ kind: CollectiveKind, tier: String, ranks: Int,
                                 samples: [(bytes: Int, microseconds: Double)], loss: FitLoss = .huber,
                                 source: String, maxSegments: Int = 3, minSizesPerSegment: Int = 4,
                                 improvementToSplit: Double = 0.25, noiseFloor: Double = 0.03) throws -> [CollectiveFit] {
        let whole = try fit(kind, tier: tier, ranks: ranks, samples: samples, loss: loss, source: source)
        let sizes = Array(Set(samples.map(\.bytes))).sorted()
        let count = sizes.count
        guard maxSegments > 1, count >= 2 * minSizesPerSegment else { return [whole] }
        // A line that already fits within the noise of a benchmark (mean |log error| under 3%,
        // the run-to-run spread of loom-bench on a quiet host) is not split.
        let wholeError = whole.points.reduce(0) { $0 + abs(log(max($1.fittedUs, 1e-12) / $1.measuredUs)) }
        guard wholeError > noiseFloor * Double(whole.points.count) else { return [whole] }

        // cost[a][b]: the error of one fit over sizes a...b (infinite where it cannot be fitted).
        var fits: [[CollectiveFit?]] = Array(repeating: Array(repeating: nil, count: count), count: count)
        var cost: [[Double]] = Array(repeating: Array(repeating: .infinity, count: count), count: count)
        for a in 0..<count {
            for b in a..<count where b - a + 1 >= minSizesPerSegment {
                let low = sizes[a]
                let high = sizes[b]
                let part = samples.filter { $0.bytes >= low && $0.bytes <= high }
                guard let segment = try? fit(kind, tier: tier, ranks: ranks, samples: part, loss: loss, source: source)
                else { continue }
                fits[a][b] = segment
                cost[a][b] = segment.points.reduce(0) { $0 + abs(log(max($1.fittedUs, 1e-12) / $1.measuredUs)) }
            }
        }
        // best[k][j]: least error covering sizes 0...j with k + 1 segments; cut[k][j] where the last starts.
        var best = Array(repeating: Array(repeating: Double.infinity, count: count), count: maxSegments)
        var cut = Array(repeating: Array(repeating: 0, count: count), count: maxSegments)
        for j in 0..<count { best[0][j] = cost[0][j] }
        for k in 1..<maxSegments {
            for j in 0..<count {
                for start in 1...max(j, 1) where start <= j {
                    let total = best[k - 1][start - 1] + cost[start][j]
                    if total < best[k][j] {
                        best[k][j] = total
                        cut[k][j] = start
                    }
                }
            }
        }
        var segments = 0
        for k in 1..<maxSegments {
            let previous = best[segments][count - 1]
            let gain = previous - best[k][count - 1]
            if gain >= improvementToSplit * previous && gain > noiseFloor * Double(whole.points.count) / 2 {
                segments = k
            }
        }
        guard segments > 0 else { return [whole] }
        var ranges: [(Int, Int)] = []
        var end = count - 1
        var k = segments
        while k > 0 {
            let start = cut[k][end]
            ranges.insert((start, end), at: 0)
            end = start - 1
            k -= 1
        }
        ranges.insert((0, end), at: 0)
        var result: [CollectiveFit] = []
        for (index, range) in ranges.enumerated() {
            guard var segment = fits[range.0][range.1] else { return [whole] }
            segment.minBytes = index == 0 ? nil : Double(sizes[range.0])
            segment.maxBytes = index == ranges.count - 1 ? nil : Double(sizes[range.1])
            result.append(segment)
        }
        return result
    }
}

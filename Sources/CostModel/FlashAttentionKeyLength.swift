import Foundation
import Hardware
import Workloads

/// The fractions of a flash-attention kernel's long-sequence rate that its forward and backward
/// reach when each call's queries see `keys` keys. A tiled kernel gives each block of queries to
/// one thread block, which loads its queries, loops over the key/value tiles and then normalises
/// and writes its output (FlashAttention-2, Dao 2023, Algorithm 1; the same structure in
/// FlashAttention-3, Shah et al. 2024, section 3.1, and cuDNN's fused SDPA): the load and the
/// epilogue are a fixed cost per query block, amortised over its key tiles. Under a causal mask
/// the query blocks near the start loop over few tiles, each diagonal tile is computed whole for
/// half its scores, and the blocks' unequal loops leave a tail of idle SMs, so the causal kernel
/// needs far longer sequences to reach its rate than the unmasked one.
///
/// `fraction(keys) = rate(keys) / rate(longest measured)`, forward and backward apart, with `rate`
/// interpolated linearly in log2(keys) through the part's measured curve
/// (`CostModelConstants.flashAttentionRates`: the causal rows, or the unmasked ones for a
/// bidirectional or cross-attention core); keys beyond the measured range take the nearest
/// end's value. The topology files' attention efficiencies are the kernels' rates at the longest
/// key loop measured (32,768), so this scales them at other key lengths: down at short loops,
/// and on Blackwell up between 8,192 and 16,384 keys, where its causal kernel runs faster than at
/// 32,768. Measured for cuDNN on Hopper, Blackwell and Blackwell Ultra (the topology's
/// `attentionKeyCurve`, Hopper's where a file names none); the other tiled kernels
/// (FlashAttention-2, Triton, TPU Pallas) take the same ratios as an approximation.
public enum FlashAttentionKeyLength {
    public static func fractions(keys: Double, mask: AttentionMask, curve: AttentionKeyCurve = .hopper)
        -> (forward: Double, backward: Double) {
        let points = CostModelConstants.flashAttentionRates(curve, mask: mask)
        guard let last = points.last else { return (1, 1) }
        let forward = interpolate(points, backward: false, at: keys) / last.forward
        let backward = interpolate(points, backward: true, at: keys) / last.backward
        return (forward, backward)
    }

    /// Linear in log2(keys) between the measured points' forward (or backward) rates; the end
    /// values outside them. Walks the points in place (no copy: the layer time calls it for every
    /// attention core).
    static func interpolate(_ points: [CostModelConstants.FlashAttentionRate], backward: Bool, at keys: Double) -> Double {
        func rate(_ point: CostModelConstants.FlashAttentionRate) -> Double { backward ? point.backward : point.forward }
        guard let first = points.first, let last = points.last else { return 1 }
        if !(keys > first.keys) { return rate(first) }
        if keys >= last.keys { return rate(last) }
        for index in 1..<points.count where keys <= points[index].keys {
            let low = points[index - 1], high = points[index]
            let t = log2(keys / low.keys) / log2(high.keys / low.keys)
            return rate(low) + t * (rate(high) - rate(low))
        }
        return rate(last)
    }
}

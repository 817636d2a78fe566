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
/// bidirectional or cross-attention core); keys beyond the longest measured take its value.
/// Below the shortest measured (2,048 keys on cuDNN's curves, 512 on FlashAttention-2's: a packed
/// document of a few hundred tokens, a short sequence) the same tiled structure is counted (`shortKeyScale`): per query block of
/// `CostModelConstants.flashAttentionTileRows` rows, whole key tiles up to the diagonal (causal)
/// or the end, plus a fixed cost of c tiles for the load and epilogue, where c is solved from
/// the two shortest measured points, so the count continues the measured curve (FlashAttention-2's
/// A100 curve gives c = 1.6 from 512 and 1,024 keys, and the count then puts its 2,048-key point
/// 4% above the measured one). The topology files' attention efficiencies are the kernels' rates at the longest
/// key loop measured (32,768; 16,384 for FlashAttention-2 on A100), so this scales them at other
/// key lengths: down at short loops, and on Blackwell up between 8,192 and 16,384 keys, where its
/// causal kernel runs faster than at 32,768. Measured for cuDNN on Hopper, Blackwell and
/// Blackwell Ultra and for FlashAttention-2 on Ampere (the topology's `attentionKeyCurve`,
/// Hopper's where a file names none); the other tiled kernels (Triton, TPU Pallas) take the same
/// ratios as an approximation.
public enum FlashAttentionKeyLength {
    /// `band`: a sliding window's loop (`AttentionCoreTime`), which is not counted in tiles below
    /// the measured range.
    public static func fractions(keys: Double, mask: AttentionMask, curve: AttentionKeyCurve = .hopper, band: Bool = false)
        -> (forward: Double, backward: Double) {
        let points = CostModelConstants.flashAttentionRates(curve, mask: mask)
        guard let last = points.last else { return (1, 1) }
        var forward = interpolate(points, backward: false, at: keys) / last.forward
        var backward = interpolate(points, backward: true, at: keys) / last.backward
        if !band, points.count >= 2, keys > 0, keys < points[0].keys {
            let causal = mask == .causal
            forward *= shortKeyScale(keys: keys, shortest: (points[0].keys, points[0].forward),
                                     next: (points[1].keys, points[1].forward), causal: causal)
            backward *= shortKeyScale(keys: keys, shortest: (points[0].keys, points[0].backward),
                                      next: (points[1].keys, points[1].backward), causal: causal)
        }
        return (forward, backward)
    }

    /// The rate at `keys` below the shortest measured point over the rate there, by the tile
    /// count. With B = `flashAttentionTileRows` and n = ceil(keys / B) query blocks, the kernel
    /// runs n(n + 1)/2 key tiles under a causal mask (n^2 unmasked) and c tiles' worth of fixed
    /// work per query block, for keys^2 / (2 B^2) tiles of useful scores (keys^2 / B^2 unmasked):
    /// efficiency(keys) = useful / (tiles + c n). At whole tiles (keys = n B) that is
    /// n / (n + 1 + 2c) causal and n / (n + c) unmasked, so the ratio r of the two shortest
    /// measured rates gives c: causal c = (r n2 (n1 + 1) - n1 (n2 + 1)) / (2 (n1 - r n2)),
    /// unmasked c = n1 n2 (r - 1) / (n1 - r n2) (Hopper's causal forward: 484 / 591 at 2,048 and
    /// 4,096 keys gives c = 4.0; the count then puts the 8,192-32,768 points 3-7% above the
    /// measured ones). A partial tile is computed whole, which is what makes short documents slow.
    static func shortKeyScale(keys: Double, shortest: (keys: Double, rate: Double), next: (keys: Double, rate: Double),
                              causal: Bool) -> Double {
        let tile = CostModelConstants.flashAttentionTileRows
        let n1 = shortest.keys / tile, n2 = next.keys / tile
        let r = shortest.rate / next.rate
        let denominator = n1 - r * n2
        guard denominator != 0, r > 0 else { return 1 }
        let fixed = max(causal ? (r * n2 * (n1 + 1) - n1 * (n2 + 1)) / (2 * denominator)
                               : n1 * n2 * (r - 1) / denominator, 0)
        func efficiency(_ keys: Double) -> Double {
            let n = (keys / tile).rounded(.up)
            let useful = keys * keys / (tile * tile)
            return causal ? (useful / 2) / (n * (n + 1) / 2 + fixed * n) : useful / (n * n + fixed * n)
        }
        let atShortest = efficiency(shortest.keys)
        return atShortest > 0 ? min(efficiency(keys) / atShortest, 1) : 1
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

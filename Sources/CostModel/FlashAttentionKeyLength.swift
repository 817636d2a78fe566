import Foundation

/// The fraction of a flash-attention kernel's long-sequence rate it reaches when each call's
/// queries see `keys` keys. A tiled kernel gives each block of queries to one thread block, which
/// loads its queries, loops over the key/value tiles and then normalises and writes its output:
/// the load and the epilogue are a fixed cost per query block, amortised over `keys / block`
/// tiles, so short key loops run below the kernel's quoted rate (FlashAttention-2, Dao 2023,
/// Algorithm 1; the same structure in FlashAttention-3, Shah et al. 2024, section 3.1).
///
/// `fraction(keys) = rate(keys) / rate(longest)`, with `rate` interpolated linearly in log2(keys)
/// through the measured points of `CostModelConstants.flashAttentionRateByKeys`. The topology
/// files' attention efficiencies are the kernels' long-sequence rates ("up to"), so this factor
/// is 1 from 16,384 keys on and divides the rate below. Measured on H100; TPU's Pallas kernels
/// tile the same way and take the same curve as an approximation.
public enum FlashAttentionKeyLength {
    public static func fraction(keys: Double) -> Double {
        let points = CostModelConstants.flashAttentionRateByKeys
        guard let first = points.first, let last = points.last, keys.isFinite else { return 1 }
        if keys >= last.keys { return 1 }
        if keys <= first.keys { return first.tflops / last.tflops }
        for (low, high) in zip(points, points.dropFirst()) where keys <= high.keys {
            let t = log2(keys / low.keys) / log2(high.keys / low.keys)
            return (low.tflops + t * (high.tflops - low.tflops)) / last.tflops
        }
        return 1
    }
}

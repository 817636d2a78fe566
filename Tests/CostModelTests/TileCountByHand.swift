import Foundation

/// The tiled flash-attention count below the shortest measured key length, by hand
/// (`FlashAttentionKeyLength.shortKeyScale`): 128-row tiles, n = ceil(keys / 128) query blocks,
/// n(n + 1)/2 key tiles causal (n^2 unmasked) plus c tiles of fixed work per query block, for
/// keys^2 / (2 x 128^2) useful tiles (keys^2 / 128^2 unmasked); c solved from the two shortest
/// measured points (n1, n2 tiles; rate ratio r).
enum TileCountByHand {
    static func fixedTiles(r: Double, n1: Double, n2: Double, causal: Bool) -> Double {
        causal ? (r * n2 * (n1 + 1) - n1 * (n2 + 1)) / (2 * (n1 - r * n2)) : n1 * n2 * (r - 1) / (n1 - r * n2)
    }

    static func efficiency(keys: Double, fixed c: Double, causal: Bool) -> Double {
        let n = (keys / 128).rounded(.up)
        let useful = keys * keys / (128 * 128)
        return causal ? (useful / 2) / (n * (n + 1) / 2 + c * n) : useful / (n * n + c * n)
    }

    /// Rate at `keys` over the rate at the shortest measured point `k1` (next `k2`, rates r1, r2).
    static func scale(keys: Double, k1: Double, r1: Double, k2: Double, r2: Double, causal: Bool) -> Double {
        let c = fixedTiles(r: r1 / r2, n1: k1 / 128, n2: k2 / 128, causal: causal)
        return efficiency(keys: keys, fixed: c, causal: causal) / efficiency(keys: k1, fixed: c, causal: causal)
    }

    /// FlashAttention-2 on A100 (Dao 2023, Fig. 4d: causal 99, 133, 155 ... 189 TFLOP/s at 512,
    /// 1k, 2k ... 16k keys), the fraction of its 16k rate at a causal loop of `keys` < 512.
    static func ampereCausal(_ keys: Double) -> Double {
        99.0 / 189 * scale(keys: keys, k1: 512, r1: 99, k2: 1024, r2: 133, causal: true)
    }
}

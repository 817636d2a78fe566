/// The rank a pairwise benchmark pairs `rank` with: `rank + ranks/2`, wrapping, so pairs are
/// (0, n/2), (1, n/2 + 1), ... as in OSU's multi-pair tests (osu_multi_lat, osu_mbw_mr); with
/// ranks placed block-wise on two hosts every pair crosses the network.
public func pairedRank(of rank: Int, ranks: Int) -> Int {
    let half = ranks / 2
    guard half > 0 else { return rank }
    return rank < half ? rank + half : rank - half
}

/// The shared reason pairwise benchmarks give for an odd or too small number of ranks.
func pairwiseUnsupportedReason(_ name: String, ranks: Int) -> String? {
    guard ranks < 2 || ranks % 2 != 0 else { return nil }
    return "\(name) pairs rank r with rank r + n/2 and needs an even number of ranks (at least 2), got \(ranks)"
}

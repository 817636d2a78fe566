import Hardware

/// Collectives on a TPU-style torus, with the data-centre network (DCN) between slices.
///
/// Inside a slice (JAX scaling book, "How to Scale Your Model", part 3 "Sharded Matrices and
/// How to Multiply Them", section on AllGather): a bidirectional ring along one torus axis
/// all-gathers V bytes in T = V / W_ici, W_ici the bidirectional link bandwidth (2 links'
/// worth: one to each neighbour), independent of the ring's length; a gather over several axes
/// uses every axis at once, T = V / (W_ici x N_axes); a reduce-scatter costs the same and an
/// all-reduce twice as much; an axis without wraparound is a line with only the one-way link
/// rate (the book's 4x4 v5e example). Each hop costs the ICI latency, about 1 us, over
/// sum(|X_i|) / 2 hops. Written here per axis j as
///
///     T = steps x alpha + busFactor(n) x bytes / sum_j (links_j x W_link x busEfficiency)
///
/// with `TorusAxisSpan.links` = 2 for a closed ring, 1 for a line, divided among groups that
/// interleave on the axis; (n-1)/n is the exact ring factor the book rounds to 1.
/// All-to-all is bisection-bound: an axis of e chips carries e x bytes / 4 across its middle,
/// T = e_max x bytes / (4 x W_axis) (the book's "AllToAll costs a quarter of an AllGather" on a
/// bidirectional ring: e x B / (8 W_link)). The link rates and the 4x4x4 cube wiring are from
/// Jouppi et al. 2023 (TPU v4, ISCA) and the Cloud TPU pages, in the topology files.
///
/// Between slices, hierarchically (as XLA's multi-slice collectives and MaxText's
/// `dcn_data_parallelism` do): the in-slice part over ICI, then the r members of each slice
/// exchange their 1/r shares with the other m - 1 slices, each at its share of its host's DCN
/// bandwidth (`scale_out.bandwidth_gbps` per chip = per-host DCN / chips per host).
enum TorusCollectives {
    static func seconds(_ kind: CollectiveKind, bytes: Double, shape: GroupShape, cluster: ClusterTopology) -> Double {
        guard let torus = cluster.torus, shape.size > 1, bytes > 0 else { return 0 }
        let ici = cluster.node.scaleUp
        let linkBytesPerSecond = torus.linkBandwidthGBps * 1e9 * ici.busEfficiency
        let perSlice = Double(shape.ranksPerDomain)
        let slices = Double(shape.domains)
        let n = Double(shape.size)
        var seconds = 0.0
        if perSlice > 1 {
            let inSliceBytes = kind == .allToAll ? bytes * perSlice / n : bytes
            seconds += iciSeconds(kind, bytes: inSliceBytes, ranks: perSlice, axes: shape.torusAxes,
                                  linkBytesPerSecond: linkBytesPerSecond, hopSeconds: ici.latencyUs * 1e-6)
        }
        if slices > 1 {
            let dcn = cluster.scaleOut
            let dcnBytesPerSecond = dcn.effectiveBytesPerSecond
            let alpha = dcn.latencyUs * 1e-6 * kind.latencySteps(ranks: slices)
            switch kind {
            case .allToAll:
                seconds += alpha + bytes * (n - perSlice) / n / dcnBytesPerSecond
            case .sendRecv, .broadcast:
                seconds += alpha + bytes / (dcnBytesPerSecond * perSlice)
            case .allReduce, .allGather, .reduceScatter:
                seconds += alpha + kind.busFactor(ranks: slices) * (bytes / perSlice) / dcnBytesPerSecond
            }
        }
        return seconds
    }

    /// One collective among `ranks` chips of a slice covering `axes`.
    static func iciSeconds(_ kind: CollectiveKind, bytes: Double, ranks: Double, axes: [TorusAxisSpan],
                           linkBytesPerSecond: Double, hopSeconds: Double) -> Double {
        let usable = axes.filter { $0.extent > 1 }
        guard ranks > 1, !usable.isEmpty else { return 0 }
        let bandwidth = usable.reduce(0) { $0 + $1.links } * linkBytesPerSecond
        let hops = usable.reduce(0.0) { $0 + ($1.ring ? Double($1.extent) / 2 : Double($1.extent - 1)) }
        switch kind {
        case .allGather, .reduceScatter:
            return hops * hopSeconds + kind.busFactor(ranks: ranks) * bytes / bandwidth
        case .allReduce:
            return 2 * hops * hopSeconds + kind.busFactor(ranks: ranks) * bytes / bandwidth
        case .broadcast:
            return hops * hopSeconds + bytes / bandwidth
        case .sendRecv:
            return hopSeconds + bytes / linkBytesPerSecond
        case .allToAll:
            let longest = usable.max { $0.extent < $1.extent }!
            return hops * hopSeconds
                + Double(longest.extent) * bytes / (4 * longest.links * linkBytesPerSecond)
        }
    }
}

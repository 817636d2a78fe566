import Hardware

/// The part of the network one communication group spans on one cluster: what the collective
/// formulas take instead of assuming NVLink plus rail NICs.
public struct GroupShape: Sendable, Hashable {
    /// The cluster's interconnect kind.
    public var kind: InterconnectKind
    /// Ranks in the group.
    public var size: Int
    /// Fewest ranks of the group in one scale-up domain (NVLink domain, PCIe host, torus slice).
    public var ranksPerDomain: Int
    /// Scale-up domains (slices on a torus) the group spans.
    public var domains: Int { (size + ranksPerDomain - 1) / max(ranksPerDomain, 1) }
    /// Fewest ranks of the group on one host.
    public var ranksPerHost: Int
    /// Torus axes the group moves along inside a slice (empty off a torus).
    public var torusAxes: [TorusAxisSpan]

    /// True when the group's traffic leaves its scale-up domain (InfiniBand/RoCE between hosts or
    /// racks; the data-centre network between torus slices).
    public var crossesDomains: Bool { size > ranksPerDomain }
}

/// How a group covers one axis of a torus slice.
public struct TorusAxisSpan: Sendable, Hashable {
    /// Chips along this axis of the slice.
    public var axisLength: Int
    /// Distinct positions the group holds along it.
    public var extent: Int
    /// From its first to its last position, inclusive.
    public var span: Int
    /// The group's members along this axis form a closed ring (whole axis, wraparound link).
    public var ring: Bool

    /// Bandwidth per direction, in links, that one group gets along this axis: a closed ring
    /// sends both ways (2 links, the JAX scaling book's bidirectional W_ici), a line one way;
    /// groups interleaved on the same axis (members `span / extent` apart) share its links.
    public var links: Double {
        guard extent > 1 else { return 0 }
        let share = Double(extent) / Double(max(ring ? axisLength : span, 1))
        return (ring ? 2 : 1) * share
    }
}

extension RankPlacement.Group {
    /// This group's shape on `cluster`.
    ///
    /// On a torus the job's chips form slices of `ClusterTopology.acceleratorsPerNode` chips at
    /// most, each shaped by `TorusSpec.sliceShape` (smallest axis first); rank r sits at the
    /// mixed-radix coordinates of r with axis 0 fastest, so TP (consecutive ranks) runs along the
    /// first axes and DP/FSDP along the last, as MaxText's device mesh lays its axes out.
    public func shape(on cluster: ClusterTopology) -> GroupShape {
        let perHost = RankPlacement.fewestPerDomain(size: size, stride: stride, domain: cluster.acceleratorsPerHost)
        var shape = GroupShape(kind: cluster.interconnect, size: size, ranksPerDomain: ranksPerNode,
                               ranksPerHost: perHost, torusAxes: [])
        guard cluster.interconnect == .torus, let torus = cluster.torus else { return shape }
        let job = max(jobRanks ?? size * stride, 1)
        let sliceChips = min(job, max(cluster.acceleratorsPerNode, 1))
        shape.ranksPerDomain = RankPlacement.fewestPerDomain(size: size, stride: stride, domain: sliceChips)
        shape.torusAxes = Self.axes(members: shape.ranksPerDomain, stride: stride,
                                    slice: torus.sliceShape(chips: sliceChips), torus: torus)
        return shape
    }

    /// The axes that `members` ranks {0, stride, ...} cover in a slice of this shape.
    static func axes(members: Int, stride: Int, slice: [Int], torus: TorusSpec) -> [TorusAxisSpan] {
        var low = Array(repeating: Int.max, count: slice.count)
        var high = Array(repeating: Int.min, count: slice.count)
        var seen = Array(repeating: Set<Int>(), count: slice.count)
        for member in 0..<max(members, 1) {
            var rest = member * stride
            for (axis, length) in slice.enumerated() {
                let coordinate = rest % max(length, 1)
                rest /= max(length, 1)
                low[axis] = min(low[axis], coordinate)
                high[axis] = max(high[axis], coordinate)
                seen[axis].insert(coordinate)
            }
        }
        var spans: [TorusAxisSpan] = []
        for (axis, length) in slice.enumerated() where seen[axis].count > 1 {
            let span = high[axis] - low[axis] + 1
            let extent = seen[axis].count
            // Evenly spread over the whole axis (span + one gap reaches round) with a wraparound.
            let gap = span > 1 ? (span - 1) / max(extent - 1, 1) : 1
            let closes = torus.wraps(axisLength: length) && span + gap > length - 1 && extent * gap == length
            spans.append(TorusAxisSpan(axisLength: length, extent: extent, span: closes ? length : span, ring: closes))
        }
        return spans
    }
}

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
    /// On a torus the job's chips form slices of the placement's domain size (by default
    /// `ClusterTopology.acceleratorsPerNode`, the largest slice; a caller that knows the job's
    /// slices, e.g. PaLM's two pods of 3,072, builds `RankPlacement` with `gpusPerNode: 3072`),
    /// each shaped by `TorusSpec.sliceShape` (smallest axis first); rank r sits at the
    /// mixed-radix coordinates of r with axis 0 fastest, so TP (consecutive ranks) runs along the
    /// first axes and DP/FSDP along the last, as MaxText's device mesh lays its axes out.
    public func shape(on cluster: ClusterTopology) -> GroupShape {
        let perHost = RankPlacement.fewestPerDomain(size: size, stride: stride, domain: cluster.acceleratorsPerHost)
        var shape = GroupShape(kind: cluster.interconnect, size: size, ranksPerDomain: ranksPerNode,
                               ranksPerHost: perHost, torusAxes: [])
        guard cluster.interconnect == .torus, let torus = cluster.torus else { return shape }
        let job = max(jobRanks ?? size * stride, 1)
        let sliceChips = min(job, max(domainSize ?? cluster.acceleratorsPerNode, 1))
        shape.ranksPerDomain = RankPlacement.fewestPerDomain(size: size, stride: stride, domain: sliceChips)
        shape.torusAxes = Self.axes(members: shape.ranksPerDomain, stride: stride,
                                    slice: torus.sliceShape(chips: sliceChips), torus: torus)
        return shape
    }

    /// The axes that `members` ranks {0, stride, ...} cover in a slice of this shape (axis 0
    /// fastest). Closed form where the stride and an axis's place value divide one another (every
    /// power-of-two layout); otherwise the members' coordinates on that axis are listed.
    static func axes(members: Int, stride: Int, slice: [Int], torus: TorusSpec) -> [TorusAxisSpan] {
        let r = max(members, 1), s = max(stride, 1)
        var spans: [TorusAxisSpan] = []
        var place = 1
        for length in slice.map({ max($0, 1) }) {
            let (low, high, extent) = coverage(members: r, stride: s, place: place, length: length)
            place = place.multipliedReportingOverflow(by: length).partialValue
            guard extent > 1 else { continue }
            let span = high - low + 1
            // Evenly spread over the whole axis (one gap from closing the ring) with a wraparound.
            let gap = (span - 1) / (extent - 1)
            let closes = torus.wraps(axisLength: length) && extent * gap == length
            spans.append(TorusAxisSpan(axisLength: length, extent: extent, span: closes ? length : span, ring: closes))
        }
        return spans
    }

    /// Lowest and highest coordinate, and the number of distinct ones, of floor(k s / place) mod
    /// length over k < members.
    static func coverage(members r: Int, stride s: Int, place: Int, length: Int) -> (Int, Int, Int) {
        if s.isMultiple(of: place) {
            // Each member moves t positions along the axis.
            let t = (s / place) % length
            if t == 0 { return (0, 0, 1) }
            let g = gcd(t, length)
            let period = length / g
            if r >= period { return (0, length - g, period) }
            if (r - 1) * t < length { return (0, (r - 1) * t, r) }
        } else if place.isMultiple(of: s) {
            // Every place / s members move one position along the axis.
            let distinct = (r + place / s - 1) / (place / s)
            return distinct >= length ? (0, length - 1, length) : (0, distinct - 1, distinct)
        }
        var seen = Set<Int>()
        for k in 0..<r { seen.insert((k * s / place) % length) }
        return (seen.min() ?? 0, seen.max() ?? 0, seen.count)
    }
}

/// Greatest common divisor (Euclid).
func gcd(_ a: Int, _ b: Int) -> Int {
    var (x, y) = (abs(a), abs(b))
    while y != 0 { (x, y) = (y, x % y) }
    return x
}

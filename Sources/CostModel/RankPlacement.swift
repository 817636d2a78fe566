import Hardware

/// Which ranks form which group, and which network tier a group's traffic crosses.
/// One place, asked by the communication model and the simulator alike.
///
/// Order as Megatron-Core's parallel_state: TP innermost (consecutive ranks), then CP, then DP,
/// then PP outermost. Expert parallelism takes consecutive ranks of the DP dimension.
public struct RankPlacement: Sendable, Hashable {
    public var gpusPerNode: Int
    public var tp: Int
    public var cp: Int
    public var dp: Int
    public var pp: Int
    public var ep: Int

    public init(layout: ParallelLayout, gpusPerNode: Int) {
        self.gpusPerNode = max(gpusPerNode, 1)
        tp = layout.tp
        cp = layout.cp
        dp = layout.dp
        pp = layout.pp
        ep = layout.ep
    }

    /// A communication group as the network sees it.
    public struct Group: Sendable, Hashable {
        /// Ranks in the group.
        public var size: Int
        /// Ranks of the group on one node (the rest sit on other nodes).
        public var ranksPerNode: Int
        /// Nodes the group spans.
        public var nodes: Int { (size + ranksPerNode - 1) / max(ranksPerNode, 1) }
        public var crossesNodes: Bool { size > ranksPerNode }

        public init(size: Int, ranksPerNode: Int) {
            self.size = max(size, 1)
            self.ranksPerNode = max(1, min(ranksPerNode, size))
        }
    }

    /// A group of `size` ranks spaced `stride` apart: how many share a node.
    func group(size: Int, stride: Int) -> Group {
        if stride >= gpusPerNode { return Group(size: size, ranksPerNode: 1) }
        return Group(size: size, ranksPerNode: min(size, gpusPerNode / max(stride, 1)))
    }

    public var tensorGroup: Group { group(size: tp, stride: 1) }
    public var contextGroup: Group { group(size: cp, stride: tp) }
    public var dataGroup: Group { group(size: dp, stride: tp * cp) }
    /// ZeRO/distributed-optimizer sharding spans DP x CP (Megatron shards over both).
    public var dataContextGroup: Group { group(size: dp * cp, stride: tp) }
    public var expertGroup: Group { group(size: ep, stride: tp * cp) }
    /// Two adjacent pipeline stages: on one node only if a whole stage fits in part of a node.
    public var pipelinePeerOnSameNode: Bool { tp * cp * dp < gpusPerNode }
}

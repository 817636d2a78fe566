import Hardware

/// Which ranks form which group, and which part of the network a group's traffic crosses.
/// One place, asked by the communication model and the simulator alike.
///
/// Order as Megatron-Core's parallel_state: TP innermost (consecutive ranks), then CP, then DP,
/// then PP outermost. Expert parallelism takes consecutive ranks of the DP dimension.
/// A "node" here is what `ClusterTopology.acceleratorsPerNode` says: the scale-up domain (the
/// host on DGX, the 72-GPU NVLink domain on NVL72, the slice on a torus).
public struct RankPlacement: Sendable, Hashable {
    public var gpusPerNode: Int
    public var tp: Int
    public var cp: Int
    public var dp: Int
    public var pp: Int
    public var ep: Int
    /// Ranks of DP x CP that shard the model states (`ParallelLayout.shards`).
    public var shards: Int

    public init(layout: ParallelLayout, gpusPerNode: Int) {
        self.gpusPerNode = max(gpusPerNode, 1)
        tp = layout.tp
        cp = layout.cp
        dp = layout.dp
        pp = layout.pp
        ep = layout.ep
        shards = layout.shards
    }

    /// A communication group: `size` ranks spaced `stride` apart in rank order. Its shape on a
    /// given cluster (tiers, ranks per NVLink domain and per host, torus axes, slices) is
    /// `shape(on:)`.
    public struct Group: Sendable, Hashable {
        /// Ranks in the group.
        public var size: Int
        /// Ranks of the group in one scale-up domain (the rest sit in other domains); the
        /// fewest of any domain the group touches.
        public var ranksPerNode: Int
        /// Distance in rank order between consecutive members.
        public var stride: Int
        /// Ranks of the whole job (sets the torus slice shape); nil = size x stride.
        public var jobRanks: Int?
        /// Ranks per scale-up domain the placement used (`RankPlacement.gpusPerNode`: on a torus,
        /// the slice size); nil = the cluster's `acceleratorsPerNode`.
        public var domainSize: Int?
        /// Domains the group spans.
        public var nodes: Int { (size + ranksPerNode - 1) / max(ranksPerNode, 1) }
        public var crossesNodes: Bool { size > ranksPerNode }

        public init(size: Int, ranksPerNode: Int, stride: Int? = nil, jobRanks: Int? = nil, domainSize: Int? = nil) {
            self.size = max(size, 1)
            self.ranksPerNode = max(1, min(ranksPerNode, size))
            // A group of r per domain is, by default, consecutive ranks inside a domain and one
            // rank per domain across them.
            self.stride = max(stride ?? 1, 1)
            self.jobRanks = jobRanks
            self.domainSize = domainSize
        }
    }

    /// A group of `size` ranks spaced `stride` apart: how many share a domain.
    func group(size: Int, stride: Int) -> Group {
        Group(size: size, ranksPerNode: Self.fewestPerDomain(size: size, stride: stride, domain: gpusPerNode),
              stride: stride, jobRanks: tp * cp * dp * pp, domainSize: gpusPerNode)
    }

    /// The fewest members that any domain of `domain` consecutive ranks holds of the group
    /// {0, stride, ..., (size-1) stride}: min(size, domain / stride) when stride divides the
    /// domain; less in the last, partly filled domain (NVL72: 32 ranks spaced 8 apart fill three
    /// 72-GPU domains with 9 each and a fourth with 5).
    static func fewestPerDomain(size: Int, stride: Int, domain: Int) -> Int {
        let stride = max(stride, 1), domain = max(domain, 1), size = max(size, 1)
        if stride >= domain { return 1 }
        if domain.isMultiple(of: stride), (size * stride).isMultiple(of: domain) || size * stride <= domain {
            return min(size, domain / stride)
        }
        var fewest = Int.max
        var member = 0
        while member < size {
            let domainIndex = member * stride / domain
            let end = (domainIndex + 1) * domain            // first rank past this domain
            let inDomain = min(size - member, (end - member * stride + stride - 1) / stride)
            fewest = min(fewest, inDomain)
            member += inDomain
        }
        return max(fewest, 1)
    }

    public var tensorGroup: Group { group(size: tp, stride: 1) }
    public var contextGroup: Group { group(size: cp, stride: tp) }
    public var dataGroup: Group { group(size: dp, stride: tp * cp) }
    /// ZeRO/distributed-optimizer sharding spans DP x CP (Megatron shards over both).
    public var dataContextGroup: Group { group(size: dp * cp, stride: tp) }
    /// The ranks that shard the model states: all of DP x CP, or under HSDP consecutive groups
    /// of `shards` of them (MaxText's fsdp axis, inside a slice).
    public var shardGroup: Group { group(size: shards, stride: tp) }
    /// The replicas of one shard group (HSDP; MaxText's data axis, across slices over DCN).
    public var shardReplicaGroup: Group { group(size: max(dp * cp / max(shards, 1), 1), stride: tp * shards) }
    public var expertGroup: Group { group(size: ep, stride: tp * cp) }
    /// Two adjacent pipeline stages: on one node only if a whole stage fits in part of a node.
    public var pipelinePeerOnSameNode: Bool { tp * cp * dp < gpusPerNode }
}

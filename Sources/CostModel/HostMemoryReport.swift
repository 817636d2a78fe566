import Hardware

/// Host (CPU) memory of an estimate (JSON `host_memory`): the offloaded and paged states
/// (`HostStateMemory`) of the most loaded GPU, and of one host's GPUs together, against the
/// host memory the topology states (`node.host_memory_gib`; nil when it states none).
public struct HostMemoryReport: Sendable, Hashable, Codable {
    /// Bytes in host memory for one GPU (the most loaded stage).
    public var perGpu: Double
    /// Bytes in one host's memory: one GPU's times the job's GPUs on that host.
    public var perHost: Double
    /// Host memory of one host, bytes, or nil when the topology does not state it.
    public var capacity: Double?
    public var fits: Bool

    public init(stages: [MemoryBreakdown], gpus: Int, cluster: ClusterTopology) {
        perGpu = stages.map(\.host).max() ?? 0
        perHost = perGpu * Double(min(max(gpus, 1), cluster.acceleratorsPerNode))
        capacity = cluster.node.hostMemoryGiB.map { $0 * gibibyte }
        fits = perHost <= (capacity ?? (perHost > 0 ? 0 : .infinity))
    }
}

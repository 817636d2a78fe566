/// `MPI_Barrier`: no data, only synchronisation; timed once at 0 bytes, bandwidths reported as 0.
public struct Barrier: Collective {
    public init() {}
    public var name: String { "barrier" }
    public var summary: String { "MPI_Barrier: synchronisation only, no data" }
    public var movesData: Bool { false }

    public func buffers(count: Int, ranks: Int) -> BufferCounts { BufferCounts(send: 0, receive: 0) }

    public func busBandwidthFactor(ranks: Int) -> Double { 0 }

    @inline(__always)
    public func run<T: MPIElement>(_ operands: Operands<T>) throws(MPIError) {
        try operands.communicator.barrier()
    }

    /// Never asked: a barrier has no receive buffer.
    public func expected(atReceiveIndex index: Int, count: Int, rank: Int, ranks: Int) -> Expected {
        .copy(rank: rank, index: index)
    }
}

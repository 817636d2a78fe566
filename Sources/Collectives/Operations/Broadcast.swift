/// `MPI_Bcast` from rank 0: every rank ends with rank 0's `count` elements.
///
/// Bus bandwidth factor 1 (nccl-tests doc/PERFORMANCE.md): every rank must receive the whole
/// buffer once, however the library pipelines it.
public struct Broadcast: Collective {
    public init() {}
    public var name: String { "broadcast" }
    public var summary: String { "MPI_Bcast from rank 0: every rank gets rank 0's buffer" }
    public var root: Int? { 0 }

    /// One buffer, input on the root and output elsewhere: the receive buffer.
    public func buffers(count: Int, ranks: Int) -> BufferCounts { BufferCounts(send: 0, receive: count) }

    public func busBandwidthFactor(ranks: Int) -> Double { 1 }

    public func seedsReceiveBuffer(rank: Int) -> Bool { rank == 0 }

    @inline(__always)
    public func run<T: MPIElement>(_ operands: Operands<T>) throws(MPIError) {
        try operands.communicator.broadcast(operands.receive, root: 0)
    }

    public func expected(atReceiveIndex index: Int, count: Int, rank: Int, ranks: Int) -> Expected {
        .copy(rank: 0, index: index)
    }
}

/// `MPI_Alltoall`: block j of every rank's `count`-element send buffer goes to rank j.
///
/// Bus bandwidth factor (n-1)/n (nccl-tests doc/PERFORMANCE.md): of the n blocks a rank
/// receives, n-1 cross a link. `count` is the per-rank send size, as in nccl-tests.
public struct AllToAll: Collective {
    public init() {}
    public var name: String { "alltoall" }
    public var summary: String { "MPI_Alltoall: block j of each rank's buffer goes to rank j" }

    public func countGranularity(ranks: Int) -> Int { ranks }

    public func buffers(count: Int, ranks: Int) -> BufferCounts { BufferCounts(send: count, receive: count) }

    public func busBandwidthFactor(ranks: Int) -> Double { Double(ranks - 1) / Double(ranks) }

    @inline(__always)
    public func run<T: MPIElement>(_ operands: Operands<T>) throws(MPIError) {
        try operands.communicator.alltoall(operands.send, into: operands.receive)
    }

    public func expected(atReceiveIndex index: Int, count: Int, rank: Int, ranks: Int) -> Expected {
        let block = blockSize(count: count, ranks: ranks)
        return .copy(rank: index / block, index: rank * block + index % block)
    }
}

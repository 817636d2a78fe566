/// `MPI_Allgather`: each rank contributes `count / n` elements and every rank ends with all `count`.
///
/// Bus bandwidth factor (n-1)/n (nccl-tests doc/PERFORMANCE.md): each rank must receive the
/// n-1 blocks it does not have. `count` is the gathered size, as in nccl-tests.
public struct AllGather: Collective {
    public init() {}
    public var name: String { "allgather" }
    public var summary: String { "MPI_Allgather: every rank gets every rank's block" }

    public func countGranularity(ranks: Int) -> Int { ranks }

    public func buffers(count: Int, ranks: Int) -> BufferCounts {
        BufferCounts(send: count / max(1, ranks), receive: count)
    }

    public func busBandwidthFactor(ranks: Int) -> Double { Double(ranks - 1) / Double(ranks) }

    @inline(__always)
    public func run<T: MPIElement>(_ operands: Operands<T>) throws(MPIError) {
        try operands.communicator.allgather(operands.send, into: operands.receive)
    }

    public func expected(atReceiveIndex index: Int, count: Int, rank: Int, ranks: Int) -> Expected {
        let block = blockSize(count: count, ranks: ranks)
        return .copy(rank: index / block, index: index % block)
    }
}

/// `MPI_Reduce_scatter_block` with `MPI_SUM`: the element-wise sum of all `count`-element send
/// buffers, of which rank r keeps block r (`count / n` elements).
///
/// Bus bandwidth factor (n-1)/n (nccl-tests doc/PERFORMANCE.md): the reduce-scatter half of a
/// ring allreduce (Thakur, Rabenseifner, Gropp 2005). `count` is the input size, as in nccl-tests.
public struct ReduceScatter: Collective {
    public init() {}
    public var name: String { "reducescatter" }
    public var summary: String { "MPI_Reduce_scatter_block (sum): rank r gets block r of the sum" }
    public var reduction: ReductionOperation? { .sum }

    public func countGranularity(ranks: Int) -> Int { ranks }

    public func buffers(count: Int, ranks: Int) -> BufferCounts {
        BufferCounts(send: count, receive: count / max(1, ranks))
    }

    public func busBandwidthFactor(ranks: Int) -> Double { Double(ranks - 1) / Double(ranks) }

    @inline(__always)
    public func run<T: MPIElement>(_ operands: Operands<T>) throws(MPIError) {
        try operands.communicator.reduceScatterBlock(operands.send, into: operands.receive, .sum)
    }

    public func expected(atReceiveIndex index: Int, count: Int, rank: Int, ranks: Int) -> Expected {
        .sum(index: rank * blockSize(count: count, ranks: ranks) + index)
    }
}

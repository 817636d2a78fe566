/// `MPI_Allreduce` with `MPI_SUM`: every rank ends with the element-wise sum of all send buffers.
///
/// Bus bandwidth factor 2(n-1)/n (nccl-tests doc/PERFORMANCE.md): a ring allreduce is a
/// reduce-scatter followed by an allgather, each moving (n-1)/n of the buffer over every link
/// (Thakur, Rabenseifner, Gropp 2005, section 4.4).
public struct AllReduce: Collective {
    public init() {}
    public var name: String { "allreduce" }
    public var summary: String { "MPI_Allreduce (sum): every rank gets the element-wise sum" }
    public var reduction: ReductionOperation? { .sum }

    public func buffers(count: Int, ranks: Int) -> BufferCounts { BufferCounts(send: count, receive: count) }

    public func busBandwidthFactor(ranks: Int) -> Double { Double(2 * (ranks - 1)) / Double(ranks) }

    @inline(__always)
    public func run<T: MPIElement>(_ operands: Operands<T>) throws(MPIError) {
        try operands.communicator.allreduce(operands.send, into: operands.receive, .sum)
    }

    public func expected(atReceiveIndex index: Int, count: Int, rank: Int, ranks: Int) -> Expected {
        .sum(index: index)
    }
}

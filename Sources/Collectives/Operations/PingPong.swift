/// One-way point-to-point latency and bandwidth: in each pair (`pairedRank`) the lower rank
/// sends `count` elements with `MPI_Send` and the upper one sends them back, as OSU's
/// osu_latency does (all pairs at once, as osu_multi_lat). The reported time is half a round trip.
///
/// Bus bandwidth factor 1 (nccl-tests doc/PERFORMANCE.md): point-to-point moves the buffer once.
public struct PingPong: Collective {
    public init() {}
    public var name: String { "pingpong" }
    public var summary: String { "Send/Recv round trips between pairs (r, r+n/2), one-way time" }
    public var legsPerIteration: Int { 2 }

    public func unsupportedReason(ranks: Int) -> String? { pairwiseUnsupportedReason(name, ranks: ranks) }

    public func buffers(count: Int, ranks: Int) -> BufferCounts { BufferCounts(send: count, receive: count) }

    public func busBandwidthFactor(ranks: Int) -> Double { 1 }

    @inline(__always)
    public func run<T: MPIElement>(_ operands: Operands<T>) throws(MPIError) {
        let communicator = operands.communicator
        let peer = pairedRank(of: communicator.rank, ranks: communicator.size)
        if communicator.rank < peer {
            try communicator.send(operands.send, to: peer)
            try communicator.receive(into: operands.receive, from: peer)
        } else {
            try communicator.receive(into: operands.receive, from: peer)
            try communicator.send(operands.send, to: peer)
        }
    }

    public func expected(atReceiveIndex index: Int, count: Int, rank: Int, ranks: Int) -> Expected {
        .copy(rank: pairedRank(of: rank, ranks: ranks), index: index)
    }
}

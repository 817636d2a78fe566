/// Bidirectional point-to-point: each rank exchanges `count` elements with its pair
/// (`pairedRank`) through one `MPI_Sendrecv`, so every pair's link carries traffic both ways at
/// once (nccl-tests' sendrecv test, between fixed pairs as in OSU's osu_bibw).
///
/// Bus bandwidth factor 1 (nccl-tests doc/PERFORMANCE.md): point-to-point moves the buffer once.
public struct SendRecv: Collective {
    public init() {}
    public var name: String { "sendrecv" }
    public var summary: String { "MPI_Sendrecv between pairs (r, r+n/2), both ways at once" }

    public func unsupportedReason(ranks: Int) -> String? { pairwiseUnsupportedReason(name, ranks: ranks) }

    public func buffers(count: Int, ranks: Int) -> BufferCounts { BufferCounts(send: count, receive: count) }

    public func busBandwidthFactor(ranks: Int) -> Double { 1 }

    @inline(__always)
    public func run<T: MPIElement>(_ operands: Operands<T>) throws(MPIError) {
        let peer = pairedRank(of: operands.communicator.rank, ranks: operands.communicator.size)
        try operands.communicator.sendReceive(operands.send, to: peer, into: operands.receive, from: peer)
    }

    public func expected(atReceiveIndex index: Int, count: Int, rank: Int, ranks: Int) -> Expected {
        .copy(rank: pairedRank(of: rank, ranks: ranks), index: index)
    }
}

/// One benchmarked operation, described the way nccl-tests describes each of its tests
/// (one small file per collective): the buffers it needs for a count, the bus-bandwidth factor,
/// how to run it once, and what every receive-buffer element must hold afterwards.
///
/// The harness (`BenchmarkHarness`) does everything else: the size sweep, warm-up, timing,
/// correctness check and reporting. Adding an operation is adding a type that conforms to this
/// protocol and listing it in `CollectiveCatalog`.
///
/// Sizes follow nccl-tests: `count` is the element count of the operation's full buffer (for
/// allgather the gathered result, for reduce-scatter the input that is reduced), so that
/// `bytes = count x element size` is the "size" column of nccl-tests' tables.
public protocol Collective: Sendable {
    /// The name on the command line and in the JSON output.
    var name: String { get }
    /// One line for `--help`.
    var summary: String { get }
    /// The reduction applied, for nccl-tests' "redop" column; nil when nothing is reduced.
    var reduction: ReductionOperation? { get }
    /// The root rank of rooted operations (broadcast); nil otherwise (nccl-tests prints -1).
    var root: Int? { get }
    /// False for operations that move no data (barrier): they are timed at one size of 0 bytes.
    var movesData: Bool { get }
    /// Timed operations in one loop iteration: 2 for a ping-pong, whose iteration is a round
    /// trip and whose reported time is one way (OSU `osu_latency`); 1 otherwise.
    var legsPerIteration: Int { get }

    /// Why the operation cannot run on `ranks` ranks, in one line; nil when it can.
    func unsupportedReason(ranks: Int) -> String?
    /// Counts must be a multiple of this (the ranks, for operations that split the buffer into
    /// one block per rank).
    func countGranularity(ranks: Int) -> Int
    /// Elements in this rank's send and receive buffers for an operation of `count` elements.
    func buffers(count: Int, ranks: Int) -> BufferCounts
    /// busbw / algbw: nccl-tests doc/PERFORMANCE.md, chosen so that bus bandwidth is comparable
    /// to the hardware's link bandwidth whatever the number of ranks.
    func busBandwidthFactor(ranks: Int) -> Double
    /// Whether this rank's receive buffer starts out holding its own pattern instead of poison
    /// (the root of a broadcast, whose one buffer is both input and output).
    func seedsReceiveBuffer(rank: Int) -> Bool
    /// Runs the operation once.
    func run<T: MPIElement>(_ operands: Operands<T>) throws(MPIError)
    /// What element `index` of the receive buffer of `rank` must hold afterwards.
    func expected(atReceiveIndex index: Int, count: Int, rank: Int, ranks: Int) -> Expected
}

extension Collective {
    public var reduction: ReductionOperation? { nil }
    public var root: Int? { nil }
    public var movesData: Bool { true }
    public var legsPerIteration: Int { 1 }
    public func unsupportedReason(ranks: Int) -> String? { nil }
    public func countGranularity(ranks: Int) -> Int { 1 }
    public func seedsReceiveBuffer(rank: Int) -> Bool { false }
}

/// Element counts of the send and receive buffers of one rank.
public struct BufferCounts: Equatable, Sendable {
    public let send: Int
    public let receive: Int

    public init(send: Int, receive: Int) {
        self.send = send
        self.receive = receive
    }
}

/// What a receive-buffer element must equal, in terms of the send buffers' `DataPattern`.
public enum Expected: Equatable, Sendable {
    /// A copy of element `index` of `rank`'s send buffer.
    case copy(rank: Int, index: Int)
    /// The sum over all ranks of element `index` of their send buffers.
    case sum(index: Int)
}

/// Elements in each rank's block when `count` is split evenly over `ranks` (at least 1, so that
/// index arithmetic never divides by zero).
func blockSize(count: Int, ranks: Int) -> Int { max(1, count / max(1, ranks)) }

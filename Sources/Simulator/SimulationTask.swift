/// The stream (CUDA-stream-like lane) of one pipeline stage a task runs on.
public enum SimulationStream: Int, Sendable, Hashable, CaseIterable {
    /// Forward and backward passes, the optimizer step.
    case compute = 0
    /// Pipeline point-to-point sends of activations and gradients.
    case p2p = 1
    /// Data-parallel gradient reductions and parameter all-gathers.
    case dp = 2

    public var name: String {
        switch self {
        case .compute: return "compute"
        case .p2p: return "p2p"
        case .dp: return "dp"
        }
    }
}

/// What a simulated task does.
public enum SimulationTaskKind: UInt8, Sendable, Hashable, CaseIterable {
    case forward
    case backward
    case sendForward
    case sendBackward
    case gradAllReduce
    case gradReduceScatter
    case embeddingAllReduce
    case optimizer
    case paramAllGather

    /// Short category (Chrome trace `cat`, SVG legend).
    public var category: String {
        switch self {
        case .forward: return "forward"
        case .backward: return "backward"
        case .sendForward, .sendBackward: return "p2p"
        case .gradAllReduce, .gradReduceScatter, .embeddingAllReduce, .paramAllGather: return "dp"
        case .optimizer: return "optimizer"
        }
    }

    public var isCommunication: Bool {
        switch self {
        case .forward, .backward, .optimizer: return false
        default: return true
        }
    }
}

/// One task of the simulated step: a box on a (stage, stream) lane. Seconds from step start.
public struct SimulationTask: Sendable, Hashable {
    public var stage: Int
    public var stream: SimulationStream
    public var kind: SimulationTaskKind
    /// Micro-batch for passes and sends, bucket for gradient reductions, 0 otherwise.
    public var index: Int
    /// Model chunk (virtual stage on this rank) for interleaved schedules; nil when not interleaved.
    public var chunk: Int?
    public var start: Double
    public var duration: Double

    public init(stage: Int, stream: SimulationStream, kind: SimulationTaskKind, index: Int, chunk: Int?,
                start: Double, duration: Double) {
        self.stage = stage
        self.stream = stream
        self.kind = kind
        self.index = index
        self.chunk = chunk
        self.start = start
        self.duration = duration
    }

    public var end: Double { start + duration }

    /// Display name: `F mb3`, `B mb3 c1`, `send F mb3`, `allreduce bucket 2`, `optimizer`.
    public var name: String {
        let suffix = chunk.map { " c\($0)" } ?? ""
        switch kind {
        case .forward: return "F mb\(index)\(suffix)"
        case .backward: return "B mb\(index)\(suffix)"
        case .sendForward: return "send F mb\(index)\(suffix)"
        case .sendBackward: return "send B mb\(index)\(suffix)"
        case .gradAllReduce: return "allreduce bucket \(index)"
        case .gradReduceScatter: return "reducescatter bucket \(index)"
        case .embeddingAllReduce: return "embedding allreduce"
        case .optimizer: return "optimizer"
        case .paramAllGather: return "param allgather"
        }
    }
}

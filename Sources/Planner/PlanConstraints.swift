import CostModel

/// Dimensions of the layout the caller fixes; nil leaves a dimension to the search.
///
/// `framework`, `schedule`, `optimizer` and the overlap switches are not searched: they describe
/// the software the job will run on, so they are taken as given (defaults: Megatron-Core, 1F1B,
/// Adam, the framework's overlap defaults). Flash attention is not searched either: nil means
/// the framework's default (`PlanConstraints.defaultFlashAttention`).
public struct PlanConstraints: Sendable, Hashable {
    public var tp: Int?
    public var pp: Int?
    public var dp: Int?
    public var cp: Int?
    public var ep: Int?
    public var vpp: Int?
    public var zero: Int?
    public var recompute: Recompute?
    public var sequenceParallel: Bool?
    public var flashAttention: Bool?
    public var microBatch: Int?
    public var framework: Framework
    public var schedule: PipelineScheduleKind
    public var optimizer: OptimizerKind
    public var overlapGradReduce: Bool?
    public var overlapParamGather: Bool?
    public var overlapTPComm: Bool?

    public init(tp: Int? = nil, pp: Int? = nil, dp: Int? = nil, cp: Int? = nil, ep: Int? = nil, vpp: Int? = nil,
                zero: Int? = nil, recompute: Recompute? = nil, sequenceParallel: Bool? = nil,
                flashAttention: Bool? = nil, microBatch: Int? = nil, framework: Framework = .megatronCore,
                schedule: PipelineScheduleKind = .oneForwardOneBackward, optimizer: OptimizerKind = .adam,
                overlapGradReduce: Bool? = nil, overlapParamGather: Bool? = nil, overlapTPComm: Bool? = nil) {
        self.tp = tp
        self.pp = pp
        self.dp = dp
        self.cp = cp
        self.ep = ep
        self.vpp = vpp
        self.zero = zero
        self.recompute = recompute
        self.sequenceParallel = sequenceParallel
        self.flashAttention = flashAttention
        self.microBatch = microBatch
        self.framework = framework
        self.schedule = schedule
        self.optimizer = optimizer
        self.overlapGradReduce = overlapGradReduce
        self.overlapParamGather = overlapParamGather
        self.overlapTPComm = overlapTPComm
    }

    /// Flash attention is on by default where the framework ships it fused and enabled
    /// (Megatron-Core with Transformer Engine, torchtitan and FSDP via PyTorch SDPA); off for
    /// Megatron-LM 2021-22 and (Megatron-)DeepSpeed as the published runs used them.
    public static func defaultFlashAttention(for framework: Framework) -> Bool {
        switch framework {
        case .megatronCore, .torchtitan, .fsdp: return true
        case .megatronLM, .megatronDeepSpeed, .deepspeed: return false
        }
    }

    /// The flag spelling of every fixed dimension, for messages: `--tp 8 --pp 4`.
    public var fixedFlags: String {
        var parts: [String] = []
        if let tp { parts.append("--tp \(tp)") }
        if let pp { parts.append("--pp \(pp)") }
        if let dp { parts.append("--dp \(dp)") }
        if let cp { parts.append("--cp \(cp)") }
        if let ep { parts.append("--ep \(ep)") }
        if let vpp { parts.append("--vpp \(vpp)") }
        if let zero { parts.append("--zero \(zero)") }
        if let recompute { parts.append("--recompute \(recompute.rawValue)") }
        if sequenceParallel == true { parts.append("--sequence-parallel") }
        if let microBatch { parts.append("--micro-batch \(microBatch)") }
        return parts.joined(separator: " ")
    }
}

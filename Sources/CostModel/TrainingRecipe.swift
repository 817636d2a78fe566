/// What is trained and how, beside `ParallelLayout` (how the work is split): the framework and
/// its kernels, the numeric precision, the optimizer, activation recomputation, flash attention
/// and the communication-overlap switches. Every cost-model function reads `(layout, recipe)`.
///
/// Optional switches are nil when the caller did not choose: the `effective*` accessors then
/// give the framework's default (`FrameworkProfile`), so every command resolves them alike.
public struct TrainingRecipe: Sendable, Hashable, Codable {
    public var framework: Framework
    public var precision: Precision
    public var optimizer: OptimizerKind
    public var recompute: Recompute
    /// Fused flash attention (no s x s scores in memory); nil = the framework's default.
    public var flashAttention: Bool?
    /// Overlap switches; nil = the framework's default.
    public var overlapGradReduce: Bool?
    public var overlapParamGather: Bool?
    public var overlapTPComm: Bool?

    public init(framework: Framework = .megatronCore, precision: Precision = .bf16, optimizer: OptimizerKind = .adam,
                recompute: Recompute = .none, flashAttention: Bool? = nil, overlapGradReduce: Bool? = nil,
                overlapParamGather: Bool? = nil, overlapTPComm: Bool? = nil) {
        self.framework = framework
        self.precision = precision
        self.optimizer = optimizer
        self.recompute = recompute
        self.flashAttention = flashAttention
        self.overlapGradReduce = overlapGradReduce
        self.overlapParamGather = overlapParamGather
        self.overlapTPComm = overlapTPComm
    }

    public var effectiveFlashAttention: Bool { flashAttention ?? framework.profile.usesFlashAttention }
    public var effectiveOverlapGradReduce: Bool { overlapGradReduce ?? framework.profile.overlapsGradReduce }
    public var effectiveOverlapParamGather: Bool { overlapParamGather ?? framework.profile.overlapsParamGather }
    public var effectiveOverlapTPComm: Bool { overlapTPComm ?? framework.profile.overlapsTPComm }

    /// Sequence parallelism for a layout of TP size `tp`: as `given`, else the framework's default
    /// (`FrameworkProfile.sequenceParallelByDefault`); never without TP, where there is nothing to split.
    public func sequenceParallel(given: Bool?, tp: Int) -> Bool {
        guard tp > 1 else { return false }
        return given ?? framework.profile.sequenceParallelByDefault
    }

    /// The same recipe with every optional switch replaced by its resolved value.
    public var resolved: TrainingRecipe {
        var copy = self
        copy.flashAttention = effectiveFlashAttention
        copy.overlapGradReduce = effectiveOverlapGradReduce
        copy.overlapParamGather = effectiveOverlapParamGather
        copy.overlapTPComm = effectiveOverlapTPComm
        return copy
    }
}

import CostModel

/// Dimensions of the layout the caller fixes; nil leaves a dimension to the search.
///
/// The training recipe is given, not searched (`recipe`: framework, precision, optimizer, flash
/// attention and overlap switches, nil switches resolved by the framework), except its
/// recomputation: `recompute` fixes it, nil searches none, selective and full (the search
/// enumerates those recipe variants; `recipe.recompute` is not read). The pipeline schedule is
/// given too (default 1F1B).
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
    public var microBatch: Int?
    public var schedule: PipelineScheduleKind
    public var recipe: TrainingRecipe
    /// HSDP shard group (`--fsdp`); nil = searched.
    public var shardGroup: Int?

    public init(tp: Int? = nil, pp: Int? = nil, dp: Int? = nil, cp: Int? = nil, ep: Int? = nil, vpp: Int? = nil,
                zero: Int? = nil, recompute: Recompute? = nil, sequenceParallel: Bool? = nil,
                microBatch: Int? = nil, schedule: PipelineScheduleKind = .oneForwardOneBackward,
                recipe: TrainingRecipe = TrainingRecipe(), shardGroup: Int? = nil) {
        self.tp = tp
        self.pp = pp
        self.dp = dp
        self.cp = cp
        self.ep = ep
        self.vpp = vpp
        self.zero = zero
        self.recompute = recompute
        self.sequenceParallel = sequenceParallel
        self.microBatch = microBatch
        self.schedule = schedule
        self.recipe = recipe
        self.shardGroup = shardGroup
    }

    /// The recipe variants the search tries: the given recipe with each recomputation policy
    /// the constraints allow; under a JAX-sharding framework (maxtext) with neither --recompute
    /// nor --remat-policy given, each of MaxText's remat policies (`recompute` then names the
    /// closest Megatron policy: none, full, or selective for the policies between).
    public var recipeVariants: [TrainingRecipe] {
        if recompute == nil, recipe.remat == nil, recipe.framework.profile.jaxSharding {
            return RematPolicy.allCases.map { policy in
                var variant = recipe
                variant.remat = policy
                variant.recompute = policy == .none ? .none : (policy == .full ? .full : .selective)
                return variant
            }
        }
        return (recompute.map { [$0] } ?? Recompute.allCases).map { policy in
            var variant = recipe
            variant.recompute = policy
            return variant
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
        if let shardGroup { parts.append("--fsdp \(shardGroup)") }
        if let vpp { parts.append("--vpp \(vpp)") }
        if let zero { parts.append("--zero \(zero)") }
        if let recompute { parts.append("--recompute \(recompute.rawValue)") }
        if sequenceParallel == true { parts.append("--sequence-parallel") }
        if let microBatch { parts.append("--micro-batch \(microBatch)") }
        return parts.joined(separator: " ")
    }
}

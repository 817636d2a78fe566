import Workloads

/// The one accounting of a stage's parameters that memory, step time, data-parallel
/// communication and the simulator all read: per parameter class, how many parameters one GPU
/// holds, the bytes it keeps per parameter for weights, gradients and optimizer state (from the
/// recipe's precision, optimizer and framework), how far ZeRO shards them, and which
/// data-parallel collectives the class takes part in.
///
/// Mixed-precision accounting (Rajbhandari et al. 2020, section 3.1; Korthikanti et al. 2022,
/// section 3): a trainable parameter keeps its weight (`Precision.weightBytes`), its gradient
/// in the framework's accumulation dtype (4 bytes for Megatron's fp32 main gradients, 2 for
/// DeepSpeed), the fp32 master weight and the optimizer's moments. A frozen parameter keeps
/// only its weight and takes no part in the gradient reduction.
public struct ParameterAccounting: Sendable, Hashable {
    public var groups: [ParameterGroup]
    /// ZeRO stage the shards follow (`ParallelLayout.zero`).
    public var zero: Int

    /// Groups for `params`, every class trainable unless listed in `frozen`.
    public init(_ params: StageParameters, layout: ParallelLayout, recipe: TrainingRecipe,
                frozen: Set<ParameterClass> = []) {
        zero = layout.zero
        let shards = Double(max(layout.dp * layout.cp, 1))
        let expertShards = max(shards / Double(max(layout.ep, 1)), 1)
        let counts: [(ParameterClass, Double)] = [(.dense, params.dense), (.expert, params.expert),
                                                  (.embedding, params.embedding)]
        var groups: [ParameterGroup] = []
        for (kind, count) in counts where count > 0 {
            groups.append(ParameterGroup(kind: kind, trainable: !frozen.contains(kind), count: count,
                                         shards: kind == .expert ? expertShards : shards, recipe: recipe,
                                         zero: layout.zero))
        }
        self.groups = groups
    }

    /// The accounting of pipeline stage `stage` (0-based): `ModelStateMemory.parameters`.
    public init(stage: Int, geometry: LayerGeometry, model: TransformerModel, layout: ParallelLayout,
                recipe: TrainingRecipe) {
        self.init(ModelStateMemory.parameters(stage: stage, geometry: geometry, model: model, layout: layout),
                  layout: layout, recipe: recipe)
    }

    /// Parameters one GPU holds (before ZeRO sharding) of the given classes.
    public func count(of classes: Set<ParameterClass> = Set(ParameterClass.allCases), trainableOnly: Bool = false) -> Double {
        groups.filter { classes.contains($0.kind) && (!trainableOnly || $0.trainable) }.reduce(0) { $0 + $1.count }
    }

    /// Weights, gradients and optimizer state one GPU keeps under the ZeRO stage.
    public var memory: MemoryBreakdown {
        var memory = MemoryBreakdown()
        for group in groups {
            memory.weights += group.keptParameters(shardedFrom: 3) * group.weightBytesPerParameter
            memory.gradients += group.keptParameters(shardedFrom: 2) * group.gradientBytesPerParameter
            memory.optimizer += group.keptParameters(shardedFrom: 1) * group.optimizerBytesPerParameter
        }
        return memory
    }

    /// Parameters whose optimizer step this GPU runs (its shard under ZeRO >= 1).
    public var updatedParameters: Double {
        groups.filter(\.trainable).reduce(0) { $0 + $1.keptParameters(shardedFrom: 1) }
    }

    /// Bytes one GPU contributes to the step's gradient reduction (all-reduce or reduce-scatter).
    public var gradientReductionBytes: Double {
        groups.filter(\.trainable).reduce(0) { $0 + $1.count * $1.gradientReduceBytesPerParameter }
    }

    /// Bytes of weights one GPU gathers in full from the data-parallel shards: the updated
    /// weights after the step (ZeRO-1/2, trainable only) or every pass's weights (ZeRO-3, all).
    public var weightGatherBytes: Double {
        groups.filter { $0.collectives.contains(.updatedWeightAllGather) || $0.collectives.contains(.perPassWeightAllGather) }
            .reduce(0) { $0 + $1.count * $1.weightBytesPerParameter }
    }
}

/// Kinds of parameter with their own sharding and, later, their own precision or freezing.
public enum ParameterClass: String, Sendable, Hashable, Codable, CaseIterable {
    /// Replicated over data parallelism: attention, dense MLP, norms, router, shared experts.
    case dense
    /// Routed experts, sharded over the expert-parallel ranks.
    case expert
    /// Word and position embeddings and the output layer.
    case embedding
}

/// Data-parallel collectives a parameter class takes part in (Rajbhandari et al. 2020, section 7).
public enum DataParallelCollective: String, Sendable, Hashable, CaseIterable {
    /// ZeRO 0: all-reduce of the gradients once per step.
    case gradientAllReduce
    /// ZeRO 1-3: reduce-scatter of the gradients (per step; per micro-batch under ZeRO-3).
    case gradientReduceScatter
    /// ZeRO 1/2 (Megatron's distributed optimizer): all-gather of the updated weights per step.
    case updatedWeightAllGather
    /// ZeRO 3 / FSDP: all-gather of the weights before every forward and backward pass.
    case perPassWeightAllGather
}

/// One class of a stage's parameters and what it costs per parameter.
public struct ParameterGroup: Sendable, Hashable {
    public var kind: ParameterClass
    public var trainable: Bool
    /// Parameters one GPU of the stage holds after TP and EP, before ZeRO sharding.
    public var count: Double
    /// Ranks ZeRO shards the class over: DP x CP, or DP x CP / EP for routed experts.
    public var shards: Double
    public var weightBytesPerParameter: Double
    /// The gradient buffer kept between micro-batches: the wider of the precision's gradient
    /// and the framework's accumulator (`FrameworkProfile.gradientBytes`); 0 when frozen.
    public var gradientBytesPerParameter: Double
    /// Bytes per element of the data-parallel gradient reduction; 0 when frozen.
    public var gradientReduceBytesPerParameter: Double
    /// fp32 master weight plus the optimizer's moments; 0 when frozen.
    public var optimizerBytesPerParameter: Double
    /// Data-parallel collectives under the ZeRO stage (none for a frozen class before ZeRO-3).
    public var collectives: [DataParallelCollective]
    /// ZeRO stage the class is sharded under.
    public var zero: Int

    public init(kind: ParameterClass, trainable: Bool, count: Double, shards: Double, recipe: TrainingRecipe, zero: Int) {
        self.kind = kind
        self.trainable = trainable
        self.count = count
        self.shards = shards
        self.zero = zero
        let precision = recipe.precision
        let profile = recipe.framework.profile
        weightBytesPerParameter = precision.weightBytes
        gradientBytesPerParameter = trainable ? max(profile.gradientBytes, precision.gradientBytes) : 0
        gradientReduceBytesPerParameter = trainable ? max(profile.gradientReduceBytes, precision.gradientBytes) : 0
        optimizerBytesPerParameter = trainable ? recipe.optimizer.stateBytesPerParameter(precision: precision) : 0
        switch (zero, trainable) {
        case (0, true): collectives = [.gradientAllReduce]
        case (1, true), (2, true): collectives = [.gradientReduceScatter, .updatedWeightAllGather]
        case (_, true): collectives = [.perPassWeightAllGather, .gradientReduceScatter]
        case (3..., false): collectives = [.perPassWeightAllGather]
        default: collectives = []
        }
    }

    /// Parameters of the class this GPU keeps of a state that ZeRO shards from stage `stage` on
    /// (1: optimizer state, 2: gradients, 3: weights).
    public func keptParameters(shardedFrom stage: Int) -> Double {
        zero >= stage ? count / shards : count
    }
}

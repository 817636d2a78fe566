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
    /// One group per class (a class the stage does not hold has count 0). Stored one by one,
    /// not in an array: the planner builds an accounting per layout it looks at.
    public var dense: ParameterGroup
    public var expert: ParameterGroup
    public var embedding: ParameterGroup
    /// LoRA/QLoRA adapters (count 0 without them): trainable, sharded like `dense`.
    public var adapter: ParameterGroup
    /// Bytes of the recipe's states kept in host memory per GPU (`--offload`, paged optimizers)
    /// and the GPU's live-weight cap under parameter offload (`ParameterAccounting+Recipe`).
    public var host = HostStateMemory()
    /// ZeRO stage the shards follow (`ParallelLayout.zero`).
    public var zero: Int

    /// The classes this stage holds.
    public var groups: [ParameterGroup] { [dense, expert, embedding, adapter].filter { $0.count > 0 } }


    /// Groups for `params`, every class trainable unless listed in `frozen` or frozen by the
    /// recipe's training method (`FineTuning`: LoRA/QLoRA freeze every base class, `freeze` the
    /// embeddings); the recipe's precision semantics, QLoRA storage, offload and paged states
    /// applied (`applyRecipe`).
    public init(_ params: StageParameters, layout: ParallelLayout, recipe: TrainingRecipe,
                frozen requested: Set<ParameterClass> = []) {
        let frozen = requested.union(recipe.fineTuning.frozenClasses)
        zero = layout.zero
        let shards = Double(max(layout.zero >= 1 ? layout.shards : layout.dp * layout.cp, 1))
        let expertShards = max(shards / Double(max(layout.ep, 1)), 1)
        let profile = recipe.framework.profile
        func group(_ kind: ParameterClass, _ count: Double) -> ParameterGroup {
            ParameterGroup(kind: kind, trainable: frozen.isEmpty || !frozen.contains(kind), count: count,
                           shards: kind == .expert ? expertShards : shards, precision: recipe.precision,
                           profile: profile, optimizer: recipe.optimizer, zero: layout.zero)
        }
        dense = group(.dense, params.dense)
        expert = group(.expert, params.expert)
        embedding = group(.embedding, params.embedding)
        adapter = group(.adapter, params.adapter)
        applyRecipe(recipe, params: params)
        if profile.castsWeightsFromMaster && recipe.keepsMasterWeights && recipe.offload == .none
            && !recipe.optimizer.isPaged && (layout.zero == 0 || layout.zero >= 3) {
            // The fp32 parameters are the weights the GPU keeps (whole without sharding, sharded
            // under full sharding); the 16-bit copies are cast per use
            // (`FrameworkProfile.castsWeightsFromMaster`). ZeRO 1/2 under FSDP (SHARD_GRAD_OP)
            // keeps its own mix and is left to the mixed-precision accounting.
            let master = recipe.precision.masterWeightBytes
            func castFromMaster(_ g: inout ParameterGroup) {
                guard g.trainable, master > 0, g.optimizerBytesPerParameter >= master else { return }
                g.storedWeightBytesPerParameter = master
                g.optimizerBytesPerParameter -= master
            }
            castFromMaster(&dense)
            castFromMaster(&expert)
            castFromMaster(&embedding)
            castFromMaster(&adapter)
        }
    }

    /// The accounting of pipeline stage `stage` (0-based): `ModelStateMemory.parameters`.
    public init(stage: Int, geometry: LayerGeometry, model: TransformerModel, layout: ParallelLayout,
                recipe: TrainingRecipe) {
        self.init(ModelStateMemory.parameters(stage: stage, geometry: geometry, model: model, layout: layout,
                                              recipe: recipe),
                  layout: layout, recipe: recipe)
    }

    /// Parameters one GPU holds (before ZeRO sharding) of the given classes.
    public func count(of classes: Set<ParameterClass> = Set(ParameterClass.allCases), trainableOnly: Bool = false) -> Double {
        [dense, expert, embedding, adapter].reduce(0) {
            $0 + (classes.contains($1.kind) && (!trainableOnly || $1.trainable) ? $1.count : 0)
        }
    }

    /// Weights, gradients and optimizer state one GPU keeps under the ZeRO stage.
    public var memory: MemoryBreakdown {
        let weights = storedWeightBytes
        return MemoryBreakdown(weights: host.liveWeightCap.map { min(weights, $0) } ?? weights,
                               gradients: sum(\.gradientBytes) + host.transientGradientBytes,
                               optimizer: sum(\.optimizerBytes))
    }

    /// Bytes of weights this GPU keeps between uses, before any offload cap (its shards).
    public var storedWeightBytes: Double { sum(\.weightBytes) }

    /// Bytes of every class's weights whole, in the dtype compute reads them (a stage gathered
    /// for the step).
    public var unshardedWeightBytes: Double { sum { $0.count * $0.weightBytesPerParameter } }

    /// `value` summed over the four classes, without building an array (the planner builds an
    /// accounting per layout it looks at).
    func sum(_ value: (ParameterGroup) -> Double) -> Double {
        value(dense) + value(expert) + value(embedding) + value(adapter)
    }

    /// Parameters whose optimizer step this GPU runs (its shard under ZeRO >= 1).
    public var updatedParameters: Double {
        dense.updatedParameters + expert.updatedParameters + embedding.updatedParameters + adapter.updatedParameters
    }

    /// Bytes one GPU contributes to the step's gradient reduction (all-reduce or reduce-scatter).
    public var gradientReductionBytes: Double {
        dense.count * dense.gradientReduceBytesPerParameter + expert.count * expert.gradientReduceBytesPerParameter
            + embedding.count * embedding.gradientReduceBytesPerParameter
            + adapter.count * adapter.gradientReduceBytesPerParameter
    }

    /// Bytes of weights one GPU gathers in full from the data-parallel shards: the updated
    /// weights after the step (ZeRO-1/2, trainable only) or every pass's weights (ZeRO-3, all).
    public var weightGatherBytes: Double {
        dense.gatheredWeightBytes + expert.gatheredWeightBytes + embedding.gatheredWeightBytes
            + adapter.gatheredWeightBytes
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
    /// LoRA/QLoRA adapters (`LoRAGeometry`), always trainable.
    case adapter
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
    /// Bytes per parameter of the weights used in compute and gathered over DP (the precision's).
    public var weightBytesPerParameter: Double
    /// Bytes per parameter of the weights the GPU keeps between uses: the same, or the fp32
    /// parameters where the framework casts its 16-bit weights from them
    /// (`FrameworkProfile.castsWeightsFromMaster`; the master copy then leaves `optimizer`).
    public var storedWeightBytesPerParameter: Double
    /// The gradient buffer kept between micro-batches: the wider of the precision's gradient
    /// and the framework's accumulator (`FrameworkProfile.gradientBytes`); 0 when frozen.
    public var gradientBytesPerParameter: Double
    /// Bytes per element of the data-parallel gradient reduction; 0 when frozen.
    public var gradientReduceBytesPerParameter: Double
    /// fp32 master weight plus the optimizer's moments; 0 when frozen.
    public var optimizerBytesPerParameter: Double
    /// Bytes per parameter kept in host memory instead (`--offload`, paged optimizer states).
    public var hostBytesPerParameter: Double = 0
    /// ZeRO stage the class is sharded under.
    public var zero: Int

    /// Data-parallel collectives under the ZeRO stage (none for a frozen class before ZeRO-3).
    public var collectives: [DataParallelCollective] {
        switch (zero, trainable) {
        case (0, true): return [.gradientAllReduce]
        case (1, true), (2, true): return [.gradientReduceScatter, .updatedWeightAllGather]
        case (_, true): return [.perPassWeightAllGather, .gradientReduceScatter]
        case (3..., false): return [.perPassWeightAllGather]
        default: return []
        }
    }

    /// Whether the class's full weights are all-gathered from the shards (after the step under
    /// ZeRO 1/2 when trainable, before every pass under ZeRO 3).
    public var gathersWeights: Bool { zero >= 3 || (zero >= 1 && trainable) }

    public init(kind: ParameterClass, trainable: Bool, count: Double, shards: Double, recipe: TrainingRecipe, zero: Int) {
        self.init(kind: kind, trainable: trainable, count: count, shards: shards, precision: recipe.precision,
                  profile: recipe.framework.profile, optimizer: recipe.optimizer, zero: zero)
    }

    /// The same from the recipe's parts (the framework profile looked up once per accounting).
    public init(kind: ParameterClass, trainable: Bool, count: Double, shards: Double, precision: Precision,
                profile: FrameworkProfile, optimizer: OptimizerKind, zero: Int) {
        self.kind = kind
        self.trainable = trainable
        self.count = count
        self.shards = shards
        self.zero = zero
        weightBytesPerParameter = precision.weightBytes
        storedWeightBytesPerParameter = precision.weightBytes
        gradientBytesPerParameter = trainable ? max(profile.gradientBytes, precision.gradientBytes) : 0
        gradientReduceBytesPerParameter = trainable ? max(profile.gradientReduceBytes, precision.gradientBytes) : 0
        optimizerBytesPerParameter = trainable ? optimizer.stateBytesPerParameter(precision: precision) : 0
    }

    /// Parameters of the class this GPU keeps of a state that ZeRO shards from stage `stage` on
    /// (1: optimizer state, 2: gradients, 3: weights).
    public func keptParameters(shardedFrom stage: Int) -> Double {
        zero >= stage ? count / shards : count
    }

    /// Bytes this GPU keeps of the class's weights, gradients and optimizer state under ZeRO.
    public var weightBytes: Double { keptParameters(shardedFrom: 3) * storedWeightBytesPerParameter }
    public var gradientBytes: Double { keptParameters(shardedFrom: 2) * gradientBytesPerParameter }
    public var optimizerBytes: Double { keptParameters(shardedFrom: 1) * optimizerBytesPerParameter }
    /// Parameters of the class whose optimizer step this GPU runs.
    public var updatedParameters: Double { trainable ? keptParameters(shardedFrom: 1) : 0 }
    /// Bytes of the class's weights this GPU gathers whole from the shards.
    public var gatheredWeightBytes: Double { gathersWeights ? count * weightBytesPerParameter : 0 }
}

/// The result of one estimate: what `loom estimate --format json` prints (ARCHITECTURE.md contract).
public struct Estimate: Sendable, Hashable, Codable {
    public var stepTimeS: Double
    public var tokensPerS: Double
    /// Model TFLOP/s per GPU (no recomputation counted).
    public var tflopsPerGpu: Double
    /// Model FLOPs utilisation and hardware FLOPs utilisation (PaLM, Chowdhery et al. 2022, app. B).
    public var mfu: Double
    public var hfu: Double
    public var fits: Bool
    public var memory: MemoryReport
    public var time: TimeBreakdown
    public var layout: LayoutEcho
    /// The training recipe, its optional switches resolved (JSON `recipe`).
    public var recipe: RecipeEcho
    /// Per pipeline stage: busy fraction of the step (compute + recompute + exposed comm).
    public var stageUtilisation: [Double]
    /// Host (CPU) memory of offloaded and paged states (JSON `host_memory`).
    public var hostMemory: HostMemoryReport?

    public init(stepTimeS: Double, tokensPerS: Double, tflopsPerGpu: Double, mfu: Double, hfu: Double,
                fits: Bool, memory: MemoryReport, time: TimeBreakdown, layout: LayoutEcho,
                recipe: RecipeEcho, stageUtilisation: [Double]) {
        self.stepTimeS = stepTimeS
        self.tokensPerS = tokensPerS
        self.tflopsPerGpu = tflopsPerGpu
        self.mfu = mfu
        self.hfu = hfu
        self.fits = fits
        self.memory = memory
        self.time = time
        self.layout = layout
        self.recipe = recipe
        self.stageUtilisation = stageUtilisation
    }
}

/// Memory of the most loaded GPU, and of every pipeline stage, bytes.
public struct MemoryReport: Sendable, Hashable, Codable {
    public var total: Double
    public var weights: Double
    public var gradients: Double
    public var optimizer: Double
    public var activations: Double
    public var other: Double
    /// Capacity of one accelerator, bytes.
    public var capacity: Double
    /// Index (0-based) of the most loaded pipeline stage.
    public var mostLoadedStage: Int
    public var stages: [MemoryBreakdown]

    public init(mostLoaded: MemoryBreakdown, mostLoadedStage: Int, capacity: Double, stages: [MemoryBreakdown]) {
        total = mostLoaded.total
        weights = mostLoaded.weights
        gradients = mostLoaded.gradients
        optimizer = mostLoaded.optimizer
        activations = mostLoaded.activations
        other = mostLoaded.other
        self.capacity = capacity
        self.mostLoadedStage = mostLoadedStage
        self.stages = stages
    }

    /// PyTorch's allocated peak of the most loaded GPU by that figure
    /// (`MemoryBreakdown.allocated`; `total` is the reserved peak with the runtime's share).
    public var allocated: Double { stages.map(\.allocated).max() ?? 0 }
}

/// Seconds per step, each the part NOT hidden by overlap; they add up to the step time.
public struct TimeBreakdown: Sendable, Hashable, Codable {
    public var compute: Double = 0
    public var recompute: Double = 0
    public var bubble: Double = 0
    public var tpComm: Double = 0
    public var ppComm: Double = 0
    public var dpComm: Double = 0
    public var cpComm: Double = 0
    public var epComm: Double = 0
    public var optimizer: Double = 0

    public init() {}

    public var total: Double { compute + recompute + bubble + tpComm + ppComm + dpComm + cpComm + epComm + optimizer }
}

/// The layout as estimated, echoed in the JSON (ARCHITECTURE.md: `layout`). It keeps the recipe
/// fields it has always echoed (recompute, flash attention, framework, overlap switches),
/// resolved; `RecipeEcho` gives the whole recipe.
public struct LayoutEcho: Sendable, Hashable, Codable {
    public var tp: Int
    public var pp: Int
    public var dp: Int
    public var cp: Int
    public var ep: Int
    public var vpp: Int
    public var zero: Int
    public var recompute: Recompute
    public var sequenceParallel: Bool
    public var flashAttention: Bool
    public var microBatch: Int
    public var globalBatch: Int
    public var seq: Int
    public var gpus: Int
    public var framework: Framework
    public var schedule: PipelineScheduleKind
    public var overlapGradReduce: Bool
    public var overlapParamGather: Bool
    public var overlapTpComm: Bool
    /// HSDP shard group (`ParallelLayout.shardGroup`); nil = all of dp x cp.
    public var shardGroup: Int?
    /// Target (decoder) length of an encoder-decoder model (JSON `target_seq`); absent otherwise.
    public var targetSeq: Int?

    public init(_ layout: ParallelLayout, recipe: TrainingRecipe) {
        targetSeq = layout.targetSeq
        tp = layout.tp
        pp = layout.pp
        dp = layout.dp
        cp = layout.cp
        ep = layout.ep
        vpp = layout.vpp
        zero = layout.zero
        recompute = recipe.recompute
        sequenceParallel = layout.sequenceParallel
        flashAttention = recipe.effectiveFlashAttention
        microBatch = layout.microBatch
        globalBatch = layout.globalBatch
        seq = layout.seq
        gpus = layout.gpus
        framework = recipe.framework
        schedule = layout.schedule
        overlapGradReduce = recipe.effectiveOverlapGradReduce
        overlapParamGather = recipe.effectiveOverlapParamGather
        overlapTpComm = recipe.effectiveOverlapTPComm
        shardGroup = layout.shardGroup
    }
}

/// The training recipe as estimated, every switch resolved, echoed in the JSON (ARCHITECTURE.md,
/// Contracts: `recipe`): one key per `TrainingRecipe.fields` entry, generated from that list.
public struct RecipeEcho: Sendable, Hashable, Codable {
    /// The recipe with every optional switch resolved by its framework (and the remat policy
    /// the estimate followed).
    public var recipe: TrainingRecipe

    public init(_ recipe: TrainingRecipe) {
        var resolved = recipe.resolved
        resolved.remat = recipe.effectiveRemat
        self.recipe = resolved
    }

    public var framework: Framework { recipe.framework }
    public var precision: Precision { recipe.precision }
    public var optimizer: OptimizerKind { recipe.optimizer }
    public var recompute: Recompute { recipe.recompute }
    public var flashAttention: Bool { recipe.effectiveFlashAttention }
    public var overlapGradReduce: Bool { recipe.effectiveOverlapGradReduce }
    public var overlapParamGather: Bool { recipe.effectiveOverlapParamGather }
    public var overlapTpComm: Bool { recipe.effectiveOverlapTPComm }
    /// The JAX remat policy the estimate followed (`TrainingRecipe.effectiveRemat`); nil for
    /// Megatron's recomputation.
    public var remat: RematPolicy? { recipe.effectiveRemat }
    /// Training method and adapters (JSON `fine_tuning`), master weights kept, CPU offload and the
    /// optimizer fused into the backward (optional as they were when older estimate files lacked them).
    public var fineTuning: FineTuning? { recipe.fineTuning }
    public var masterWeights: Bool? { recipe.keepsMasterWeights }
    public var offload: OffloadKind? { recipe.offload }
    public var optimizerInBackward: Bool? { recipe.optimizerInBackward }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: RecipeFieldKey.self)
        for field in TrainingRecipe.fields { try field.encode(recipe, &container) }
    }

    /// Reads an echo back; absent keys keep `TrainingRecipe`'s defaults (older files).
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: RecipeFieldKey.self)
        var recipe = TrainingRecipe()
        for field in TrainingRecipe.fields {
            let wanted = RecipeFieldKey(stringValue: field.key).folded
            guard let key = container.allKeys.first(where: { $0.folded == wanted }) else { continue }
            try field.decode(&recipe, container, key)
        }
        self.init(recipe)
    }
}

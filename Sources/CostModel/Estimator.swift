import Hardware
import Workloads

/// The cost model's entry point: a pure function of (model, cluster, layout) -> `Estimate`.
///
/// Step time (Narayanan et al. 2021, section 2.2): with m micro-batches per replica, stage
/// times T_i per micro-batch and v virtual stages,
///   pipeline = m x max_i T_i + (sum_i T_i - max_i T_i) / v
/// (for equal stages the (p - 1)/v bubble of interleaved 1F1B), then the exposed data-parallel
/// communication and the optimizer step.
public struct Estimator: Sendable {
    public let model: TransformerModel
    public let cluster: ClusterTopology
    public let geometry: LayerGeometry

    public init(model: TransformerModel, cluster: ClusterTopology) {
        self.model = model
        self.cluster = cluster
        self.geometry = LayerGeometry(model: model)
    }

    /// The full estimate, with every stage's memory. Validate the layout first
    /// (`LayoutValidation.check`); this function assumes a valid layout.
    public func estimate(_ layout: ParallelLayout, recipe: TrainingRecipe) -> Estimate {
        let core = evaluate(layout, recipe: recipe)
        var stages: [MemoryBreakdown] = []
        stages.reserveCapacity(layout.pp)
        var worst = 0
        for stage in 0..<layout.pp {
            let memory = MemoryModel.stage(stage, geometry: geometry, model: model, cluster: cluster, layout: layout, recipe: recipe)
            stages.append(memory)
            if memory.total > stages[worst].total { worst = stage }
        }
        let capacity = MemoryModel.capacity(of: cluster)
        let report = MemoryReport(mostLoaded: stages[worst], mostLoadedStage: worst, capacity: capacity, stages: stages)
        let host = HostMemoryReport(stages: stages, gpus: layout.gpus, cluster: cluster)
        var estimate = Estimate(stepTimeS: core.stepSeconds, tokensPerS: core.tokensPerSecond, tflopsPerGpu: core.tflopsPerGPU,
                                mfu: core.mfu, hfu: core.hfu, fits: report.total <= capacity && host.fits, memory: report,
                                time: core.time, layout: LayoutEcho(layout, recipe: recipe), recipe: RecipeEcho(recipe),
                                stageUtilisation: stageUtilisation(layout, recipe: recipe, step: core.stepSeconds))
        estimate.hostMemory = host
        return estimate
    }

    /// Busy fraction of each stage: m x T_i over the step.
    public func stageUtilisation(_ layout: ParallelLayout, recipe: TrainingRecipe, step: Double) -> [Double] {
        let placement = RankPlacement(layout: layout, gpusPerNode: cluster.acceleratorsPerNode)
        let layers = LayerTimeModel.layers(geometry: geometry, layout: layout, recipe: recipe, cluster: cluster, placement: placement)
        let m = Double(max(layout.microBatchesPerReplica, 1))
        return (0..<layout.pp).map { stage in
            let time = StageTimeModel.stage(stage, dense: layers.dense, moe: layers.moe, geometry: geometry, model: model,
                                            cluster: cluster, layout: layout, recipe: recipe, placement: placement)
            return step > 0 ? m * time.total / step : 0
        }
    }

    /// The scalar part of an estimate, without allocation: the planner's inner loop.
    public func evaluate(_ layout: ParallelLayout, recipe unresolved: TrainingRecipe) -> CoreEstimate {
        let recipe = unresolved.resolved
        let placement = RankPlacement(layout: layout, gpusPerNode: cluster.acceleratorsPerNode)
        let (dense, moe) = LayerTimeModel.layers(geometry: geometry, layout: layout, recipe: recipe, cluster: cluster, placement: placement)
        let m = Double(max(layout.microBatchesPerReplica, 1))
        let v = Double(max(layout.vpp, 1))

        var sum = 0.0
        var slowest = StageTime()
        var first = StageTime()
        var modelFLOPsPerMicroBatch = 0.0
        var hardwareFLOPsPerMicroBatch = 0.0
        // A stage's time depends on its index only through its layer count, its MoE-layer count
        // and whether it is the first or last stage: consecutive stages that agree on those reuse
        // the previous stage's (identical) result instead of recomputing it.
        var cachedKey = (encoder: -1, decoder: -1, moe: -1, edge: -1)
        var cached = StageTime()
        for stage in 0..<layout.pp {
            let stack = StageLayers(stage: stage, geometry: geometry, model: model, layout: layout)
            let edge = (stage == 0 ? 1 : 0) + (stage == layout.pp - 1 ? 2 : 0)
            let time: StageTime
            if cachedKey.encoder == stack.encoder && cachedKey.decoder == stack.decoder && cachedKey.moe == stack.moe
                && cachedKey.edge == edge {
                time = cached
            } else {
                time = StageTimeModel.stage(stage, dense: dense, moe: moe, geometry: geometry, model: model,
                                            cluster: cluster, layout: layout, recipe: recipe, placement: placement)
                cached = time
                cachedKey = (stack.encoder, stack.decoder, stack.moe, edge)
            }
            sum += time.total
            if stage == 0 { first = time }
            if time.total > slowest.total || stage == 0 { slowest = time }
            modelFLOPsPerMicroBatch += time.modelFLOPs
            hardwareFLOPsPerMicroBatch += time.hardwareFLOPs
        }
        var breakdown = TimeBreakdown()
        breakdown.compute = m * slowest.compute
        breakdown.recompute = m * slowest.recompute
        breakdown.tpComm = m * slowest.tpComm
        breakdown.ppComm = m * slowest.ppComm
        breakdown.epComm = m * slowest.epComm
        breakdown.cpComm = m * slowest.cpComm
        breakdown.bubble = layout.schedule == .gpipe ? (sum - slowest.total) : (sum - slowest.total) / v

        let data = DataParallelTime.exposed(geometry: geometry, model: model, cluster: cluster, layout: layout, recipe: recipe,
                                            placement: placement, first: first)
        breakdown.dpComm = m * slowest.dataParallel + data.exposedSeconds
        breakdown.optimizer = data.optimizerSeconds

        let step = breakdown.total
        let gpus = Double(layout.gpus)
        // FLOPs are per GPU of a stage; every stage's GPUs work on every micro-batch of their replica.
        let perReplicaGPUs = Double(layout.tp * layout.cp)
        let modelFLOPs = modelFLOPsPerMicroBatch * perReplicaGPUs * m * Double(layout.dp)
        let hardwareFLOPs = hardwareFLOPsPerMicroBatch * perReplicaGPUs * m * Double(layout.dp)
        let peak = cluster.accelerator.peak16BitTFLOPS * 1e12
        var core = CoreEstimate()
        core.stepSeconds = step
        core.tokensPerSecond = step > 0 ? layout.tokensPerStep / step : 0
        core.tflopsPerGPU = step > 0 ? modelFLOPs / step / gpus / 1e12 : 0
        core.mfu = step > 0 ? modelFLOPs / (step * gpus * peak) : 0
        core.hfu = step > 0 ? hardwareFLOPs / (step * gpus * peak) : 0
        core.time = breakdown
        core.microBatches = m
        return core
    }

    /// Peak memory of the most loaded stage, checking the stages that can be the maximum
    /// (first, last, and one with the most layers) without building the per-stage list.
    ///
    /// For a dense model with uneven stages, among middle stages with equal layer counts the
    /// earliest holds the most micro-batches in flight (the in-flight count never grows with
    /// the stage index in any schedule), and the stages before the centred block of extra
    /// layers have as many layers as stage 0, which also holds the embedding: so the first
    /// stage of that block is the only middle stage that can exceed stages 0 and p - 1. MoE and
    /// encoder-decoder models (whose stages differ by layer kind) check every stage.
    public func peakMemory(_ layout: ParallelLayout, recipe unresolved: TrainingRecipe) -> Double {
        let recipe = unresolved.resolved
        var peak = MemoryModel.stage(0, geometry: geometry, model: model, cluster: cluster, layout: layout, recipe: recipe).total
        if layout.pp > 1 {
            let last = MemoryModel.stage(layout.pp - 1, geometry: geometry, model: model, cluster: cluster, layout: layout, recipe: recipe)
            peak = max(peak, last.total)
            if model.layers % layout.pp != 0 && model.moe == nil && !geometry.stacks.isEncoderDecoder {
                let firstExtra = (layout.pp - model.layers % layout.pp) / 2
                if firstExtra > 0 && firstExtra < layout.pp - 1 {
                    peak = max(peak, MemoryModel.stage(firstExtra, geometry: geometry, model: model, cluster: cluster,
                                                       layout: layout, recipe: recipe).total)
                }
            } else if model.moe != nil || geometry.stacks.isEncoderDecoder {
                for stage in 1..<(layout.pp - 1) {
                    peak = max(peak, MemoryModel.stage(stage, geometry: geometry, model: model, cluster: cluster,
                                                       layout: layout, recipe: recipe).total)
                }
            }
        }
        return peak
    }
}

/// The scalar results of an estimate.
public struct CoreEstimate: Sendable, Hashable {
    public var stepSeconds: Double = 0
    public var tokensPerSecond: Double = 0
    public var tflopsPerGPU: Double = 0
    public var mfu: Double = 0
    public var hfu: Double = 0
    public var time = TimeBreakdown()
    public var microBatches: Double = 1

    public init() {}
}

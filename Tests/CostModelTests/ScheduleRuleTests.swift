import Testing
@testable import CostModel
import Hardware
import Workloads

/// The pipeline schedule's rules (Narayanan et al. 2021, section 2.2; Huang et al. 2019 for
/// GPipe; Korthikanti et al. 2022, 4.2.3) and the data-parallel tasks' overlap rules
/// (Rajbhandari et al. 2020, section 7; Megatron-Core's bucketed DDP), with hand-chosen inputs.
@Suite struct ScheduleRuleTests {
    // MARK: Micro-batches and stages

    @Test func microBatchesPerReplica() {
        #expect(ParallelLayout(dp: 4, microBatch: 2, globalBatch: 64).microBatchesPerReplica == 8)
        #expect(ParallelLayout(dp: 4, microBatch: 2, globalBatch: 64, seq: 1000).tokensPerStep == 64_000)
    }

    /// 10 layers on 4 stages: the two extra layers on the two middle stages.
    @Test func unevenLayersGoToTheMiddleStages() {
        let assignment = StageAssignment(stages: 4, layers: 10)
        #expect((0..<4).map { assignment.layers(onStage: $0) } == [2, 3, 3, 2])
        #expect((0..<4).map { assignment.firstLayer(ofStage: $0) } == [0, 2, 5, 8])
    }

    /// Activations in flight, in layer-micro-batches of one layer: 1F1B keeps p - i on stage i
    /// (at most m); interleaving with v chunks keeps 2(p - i - 1) + (v - 1)p + 1 chunks of 1/v
    /// layer, which on stage 0 is Korthikanti's L(1 + (p - 1)/(pv)) with L/p = 1: 5.5 at p = 4,
    /// v = 2; GPipe keeps all m.
    @Test func inFlightMicroBatches() {
        let plain = ParallelLayout(pp: 4, microBatch: 1, globalBatch: 8)
        #expect(ActivationMemory.layerMicroBatchesInFlight(stage: 0, layout: plain, layersOnStage: 1) == 4)
        #expect(ActivationMemory.layerMicroBatchesInFlight(stage: 3, layout: plain, layersOnStage: 1) == 1)
        #expect(ActivationMemory.layerMicroBatchesInFlight(stage: 0, layout: ParallelLayout(pp: 4, microBatch: 1, globalBatch: 2),
                                                           layersOnStage: 3) == 6)
        let interleaved = ParallelLayout(pp: 4, vpp: 2, microBatch: 1, globalBatch: 8)
        let korthikanti: Double = 4 * (1 + 3.0 / 8)  // L (1 + (p - 1)/(p v)), L = 4 layers
        #expect(ActivationMemory.layerMicroBatchesInFlight(stage: 0, layout: interleaved, layersOnStage: 1) == korthikanti)
        #expect(ActivationMemory.layerMicroBatchesInFlight(stage: 3, layout: interleaved, layersOnStage: 1) == 2.5)
        #expect(ActivationMemory.microBatchesInFlight(stage: 0, layout: interleaved) == 5.5)
        #expect(ActivationMemory.microBatchesInFlight(stage: 1, layout: plain) == 3)
        let gpipe = ParallelLayout(pp: 4, microBatch: 1, globalBatch: 8, schedule: .gpipe)
        #expect(ActivationMemory.layerMicroBatchesInFlight(stage: 3, layout: gpipe, layersOnStage: 2) == 16)
        #expect(ActivationMemory.microBatchesInFlight(stage: 3, layout: gpipe) == 8)
    }

    /// Step = m x T_max + bubble (sum T_i - T_max, over v when interleaved) + exposed DP + the
    /// optimizer step, with T_i each stage's time for one micro-batch.
    @Test func pipelineBubble() {
        let model = megatronGPT(layers: 8, hidden: 1024, heads: 16)
        let recipe = TrainingRecipe(framework: .megatronLM)
        let estimator = Estimator(model: model, cluster: dgxA100())
        for vpp in [1, 2] {
            let layout = ParallelLayout(pp: 4, vpp: vpp, microBatch: 1, globalBatch: 8, seq: 2048)
            let stages = (0..<4).map { stageTime($0, model, layout, recipe) }
            let slowest = stages.max { $0.total < $1.total }!
            let sum = stages.reduce(0) { $0 + $1.total }
            let core = estimator.evaluate(layout, recipe: recipe)
            #expect(near(core.time.bubble, (sum - slowest.total) / Double(vpp)), "vpp \(vpp)")
            #expect(near(core.time.compute, 8 * slowest.compute))
            #expect(near(core.time.ppComm, 8 * slowest.ppComm))
            #expect(core.time.dpComm == 0)
            #expect(near(core.stepSeconds, 8 * slowest.total + (sum - slowest.total) / Double(vpp) + core.time.optimizer))
        }
    }

    // MARK: Data-parallel tasks

    let small = megatronGPT(layers: 2, hidden: 1024, heads: 16)
    /// Parameters of `small` on one stage: two layers, word and position embeddings, the final
    /// LayerNorm and the untied output layer.
    var smallParameters: Double {
        let h = 1024.0
        return 2 * gptLayerParameters(hidden: h) + (51200 + 2048) * h + 2 * h + 51200 * h
    }

    func tasks(_ model: TransformerModel, _ layout: ParallelLayout, _ recipe: TrainingRecipe, stage: Int = 0) -> DataParallelTasks {
        let cluster = dgxA100()
        return DataParallelTasks(stage: stage, geometry: LayerGeometry(model: model), model: model, cluster: cluster,
                                 layout: layout, recipe: recipe.resolved,
                                 placement: RankPlacement(layout: layout, gpusPerNode: cluster.acceleratorsPerNode))
    }

    /// ZeRO 0: all-reduce of the fp32 main gradients (4 bytes per parameter); the Adam step
    /// reads and writes 34 bytes per parameter (`OptimizerStepTraffic`) of every one.
    @Test func zero0AllReduceAndOptimizerStep() {
        let layout = ParallelLayout(dp: 8, globalBatch: 8, seq: 2048)
        let p = smallParameters
        let t = tasks(small, layout, TrainingRecipe(framework: .megatronCore))
        #expect(t.gradientReduction == .allReduce)
        #expect(near(t.gradientReductionSeconds, NVLinkByHand.allReduce(4 * p, ranks: 8)))
        #expect(t.updatedWeightGatherSeconds == 0 && t.perPassGatherSeconds == 0)
        #expect(near(t.optimizerSeconds, p * 34 / A100.hbm))
    }

    /// ZeRO 1/2 (distributed optimizer): reduce-scatter of the gradients, all-gather of the
    /// updated 2-byte weights, the step over 1/8 of the parameters.
    @Test func zero1ReduceScatterAndWeightGather() {
        let layout = ParallelLayout(dp: 8, zero: 1, globalBatch: 8, seq: 2048)
        let p = smallParameters
        let t = tasks(small, layout, TrainingRecipe(framework: .megatronCore))
        #expect(t.gradientReduction == .reduceScatter)
        #expect(near(t.gradientReductionSeconds, NVLinkByHand.reduceScatter(4 * p, ranks: 8)))
        #expect(near(t.updatedWeightGatherSeconds, NVLinkByHand.allGather(2 * p, ranks: 8)))
        #expect(near(t.optimizerSeconds, p / 8 * 34 / A100.hbm))
    }

    /// Composer's DecoupledAdamW (`optimizer_step per-op`) runs each operation of the update as
    /// its own pass over the fp32 states, from its source: exp_avg.mul_ 8, add_(grad) 12,
    /// exp_avg_sq.mul_ 8, addcmul_(grad, grad) 12, sqrt 8, division 8, add_(eps) 8,
    /// param.addcdiv_ 16, the clipping norm's gradient read 4 and FSDP's clamped-coefficient
    /// multiply of every gradient 8: 92 bytes per parameter where the fused step moves 34. Under
    /// FSDP over 8 ranks each GPU steps 1/8 of the parameters.
    @Test func perOpOptimizerStepMovesEachOperationsBytes() {
        let layout = ParallelLayout(dp: 8, zero: 3, globalBatch: 8, seq: 2048)
        let p = smallParameters
        var recipe = TrainingRecipe(framework: .fsdp)
        #expect(near(tasks(small, layout, recipe).optimizerSeconds, p / 8 * 34 / A100.hbm))
        recipe.optimizerStep = .perOp
        let perOp: Double = 8 + 12 + 8 + 12 + 8 + 8 + 8 + 16 + 4 + 8
        #expect(near(tasks(small, layout, recipe).optimizerSeconds, p / 8 * perOp / A100.hbm))
    }

    /// ZeRO 3 / FSDP: the weights gathered before every pass, the gradients reduce-scattered
    /// after every backward; without prefetch, in series: forward 1 gather, backward gather +
    /// scatter. Each pass is 3 collectives, one per FSDP unit (2 blocks + the root unit), each
    /// paying its 7 hops.
    @Test func zero3PerPassGathersAndScatters() {
        let layout = ParallelLayout(dp: 8, zero: 3, globalBatch: 8, seq: 2048)
        let p = smallParameters
        let t = tasks(small, layout, TrainingRecipe(framework: .megatronCore, overlapParamGather: false))
        let gather = NVLinkByHand.allGather(2 * p, ranks: 8, calls: 3)
        let scatter = NVLinkByHand.reduceScatter(4 * p, ranks: 8, calls: 3)
        #expect(near(t.perPassGatherSeconds, gather) && near(t.perBackwardScatterSeconds, scatter))
        #expect(t.gradientReductionSeconds == 0)
        #expect(near(t.shardedExposedPerMicroBatch(forward: 1, backward: 2), 2 * gather + scatter))
        // ZeRO-3 communication is in every stage's time.
        let stage = stageTime(0, small, layout, TrainingRecipe(framework: .megatronCore, overlapParamGather: false))
        #expect(near(stage.dataParallel, 2 * gather + scatter))
    }

    /// FSDP issues one all-gather and one reduce-scatter per unit (Zhao et al. 2023, section 3.2),
    /// so a pass over 2 nodes (16 ranks, a ring of 15 network hops of 4 us) pays 3 x 15 hops for
    /// the small model's 3 units (2 blocks + root), not 15: the bytes cross the 8 NICs of a node
    /// (8 x 25 GB/s x 0.96) once, the latency grows with the units and the ranks.
    @Test func fsdpPaysEachUnitsCollectiveLatency() {
        let p = smallParameters
        let recipe = TrainingRecipe(framework: .fsdp)
        let twoNodes = tasks(small, ParallelLayout(dp: 16, zero: 3, globalBatch: 16, seq: 2048), recipe)
        let bandwidth = 15.0 / 16 * 2 * p / (8 * A100.nic)
        #expect(near(twoNodes.perPassGatherSeconds, 3 * 15 * A100.nicHop + bandwidth))
        #expect(near(twoNodes.perBackwardScatterSeconds, 3 * 15 * A100.nicHop + bandwidth))
        let deeper = tasks(megatronGPT(layers: 8, hidden: 1024, heads: 16),
                           ParallelLayout(dp: 16, zero: 3, globalBatch: 16, seq: 2048), recipe)
        let deeperBandwidth = 15.0 / 16 * 2 * (p + 6 * gptLayerParameters(hidden: 1024)) / (8 * A100.nic)
        #expect(near(deeper.perPassGatherSeconds, 9 * 15 * A100.nicHop + deeperBandwidth))
    }

    /// FSDP's backward prefetch (PyTorch `BackwardPrefetch`): with a backward of 2 s, far longer
    /// than one pass's gather G and reduce-scatter S, BACKWARD_PRE hides both but the closing
    /// reduce-scatters C (C + 0.1 x (G + S - C)), BACKWARD_POST leaves the gather in series
    /// (G + C + 0.1 (S - C)), none leaves both (G + S). The forward's gathers hide but the
    /// opening ones O (O + 0.1 (G - O)). O and C are the root unit's collective (word, position
    /// and output embeddings, E = (51200 + 2048 + 51200) x 1024 parameters) and one block's
    /// ((p - E) / 2), 2 bytes each way (the fsdp profile's bf16 reduction).
    @Test func fsdpBackwardPrefetchDecidesWhatHides() {
        let layout = ParallelLayout(dp: 8, zero: 3, globalBatch: 8, seq: 2048)
        let p = smallParameters
        let g = NVLinkByHand.allGather(2 * p, ranks: 8, calls: 3)
        let s = NVLinkByHand.reduceScatter(2 * p, ranks: 8, calls: 3)
        let e = (51200 + 2048 + 51200) * 1024.0
        let o = NVLinkByHand.allGather(2 * e, ranks: 8) + NVLinkByHand.allGather(2 * (p - e) / 2, ranks: 8)
        let c = NVLinkByHand.reduceScatter(2 * (p - e) / 2, ranks: 8) + NVLinkByHand.reduceScatter(2 * e, ranks: 8)
        var recipe = TrainingRecipe(framework: .fsdp)
        #expect(near(tasks(small, layout, recipe).shardedBackwardExposed(backward: 2), c + 0.1 * (g + s - c)))
        recipe.backwardPrefetch = .pre
        #expect(near(tasks(small, layout, recipe).shardedBackwardExposed(backward: 2), c + 0.1 * (g + s - c)))
        recipe.backwardPrefetch = .post
        let post = tasks(small, layout, recipe)
        #expect(near(post.shardedBackwardExposed(backward: 2), g + c + 0.1 * (s - c)))
        #expect(near(post.shardedForwardExposed(forward: 1), o + 0.1 * (g - o)))
        recipe.backwardPrefetch = FSDPBackwardPrefetch.none
        #expect(near(tasks(small, layout, recipe).shardedBackwardExposed(backward: 2), g + s))
    }

    /// Under pipeline parallelism the stage's other micro-batches compute beside the opening
    /// gathers and closing reduce-scatters, so none is charged apart: the forward's gathers hide
    /// behind its compute as a whole (0.1 x G).
    @Test func fsdpEdgesHideUnderAPipeline() {
        let layout = ParallelLayout(pp: 2, dp: 8, zero: 3, globalBatch: 16, seq: 2048)
        let t = tasks(small, layout, TrainingRecipe(framework: .fsdp))
        #expect(t.forwardOpeningGatherSeconds == 0 && t.backwardClosingScatterSeconds == 0)
        #expect(t.perPassGatherSeconds > 0)
        #expect(near(t.shardedForwardExposed(forward: 1), 0.1 * t.perPassGatherSeconds))
    }

    /// FSDP under Composer's `mixed_precision: DEFAULT` (`reduce_dtype` fp32,
    /// `gradient_reduce_dtype fp32`): each micro-batch's reduce-scatter moves 4 bytes per
    /// parameter where the fsdp profile's bf16 reduction moves 2; the gathers stay bf16.
    @Test func fsdpReduceScatterInTheStatedDtype() {
        let layout = ParallelLayout(dp: 8, zero: 3, globalBatch: 8, seq: 2048)
        let p = smallParameters
        var recipe = TrainingRecipe(framework: .fsdp)
        let bf16 = tasks(small, layout, recipe)
        recipe.gradientReduceDtype = .fp32
        let fp32 = tasks(small, layout, recipe)
        #expect(near(bf16.perBackwardScatterSeconds, NVLinkByHand.reduceScatter(2 * p, ranks: 8, calls: 3)))
        #expect(near(fp32.perBackwardScatterSeconds, NVLinkByHand.reduceScatter(4 * p, ranks: 8, calls: 3)))
        #expect(near(fp32.perPassGatherSeconds, NVLinkByHand.allGather(2 * p, ranks: 8, calls: 3)))
    }

    /// Overlapped gradient reduction, 10 buckets of 0.1 s: the last bucket is exposed; the rest
    /// hides behind the last backward (v = 1: 0.5 s) from the moment the first bucket is ready,
    /// 1/10 into it (a window of 0.45 s), or behind the p (v - 1) + 1 - 1/5 = 4.8 chunk passes of
    /// 0.25 s under interleaving (v = 2, p = 4; 5 buckets per chunk).
    @Test func overlappedGradientReductionBuckets() {
        var t = tasks(small, ParallelLayout(dp: 8, globalBatch: 8, seq: 2048), TrainingRecipe(framework: .megatronCore))
        t.gradientReduction = .allReduce
        t.gradientReductionBytes = 10 * 40e6 * 4
        t.gradientReductionSeconds = 1
        t.overlapsGradientReduction = true
        #expect(near(t.exposedGradientReduction(backward: 0.5, chunks: 1, stages: 4), 0.1 + (0.9 - 0.45) + 0.1 * 0.45))
        #expect(near(t.exposedGradientReduction(backward: 0.5, chunks: 2, stages: 4), 0.1 + 0.1 * 0.9))
        t.overlapsGradientReduction = false
        #expect(t.exposedGradientReduction(backward: 0.5, chunks: 1, stages: 4) == 1)
    }

    /// Overlapped parameter gathers: ZeRO 1/2's updated weights behind the first forward;
    /// ZeRO 3's per-pass gathers behind the forward, gather + scatter behind the backward.
    @Test func overlappedParameterGathers() {
        var t = tasks(small, ParallelLayout(dp: 8, zero: 1, globalBatch: 8, seq: 2048), TrainingRecipe(framework: .megatronCore))
        t.updatedWeightGatherSeconds = 0.5
        t.overlapsParameterGather = true
        #expect(near(t.exposedUpdatedWeightGather(forward: 0.2), 0.3 + 0.02))
        t.perPassGatherSeconds = 0.3
        t.perBackwardScatterSeconds = 0.2
        #expect(near(t.shardedExposedPerMicroBatch(forward: 1, backward: 2), 0.03 + 0.05))
        t.overlapsParameterGather = false
        #expect(near(t.exposedUpdatedWeightGather(forward: 0.2), 0.5))
    }

    /// Megatron all-reduces the tied embedding's fp32 gradient (V h x 4 bytes) between the first
    /// and the last stage, over the network: two transfers of 4 us + bytes / 24 GB/s. With no
    /// data parallelism it is the step's whole data-parallel communication.
    @Test func tiedEmbeddingAllReduce() {
        let model = tiedGPT()
        let layout = ParallelLayout(pp: 2, seq: 2048)
        let recipe = TrainingRecipe(framework: .megatronLM)
        let expected = 2 * (A100.nicHop + 50304 * 1024 * 4 / A100.nic)
        #expect(near(tasks(model, layout, recipe).embeddingAllReduceSeconds, expected))
        #expect(tasks(model, layout, recipe, stage: 1).embeddingAllReduceSeconds > 0)
        let core = Estimator(model: model, cluster: dgxA100()).evaluate(layout, recipe: recipe)
        #expect(near(core.time.dpComm, expected))
        #expect(tasks(model, ParallelLayout(seq: 2048), recipe).embeddingAllReduceSeconds == 0)
    }

    /// The step's optimizer time is the first stage's: two layers, both embeddings and the
    /// positions of the 8-layer GPT on 4 stages, 34 bytes per parameter.
    @Test func optimizerStepOfTheFirstStage() {
        let model = megatronGPT(layers: 8, hidden: 1024, heads: 16)
        let layout = ParallelLayout(pp: 4, microBatch: 1, globalBatch: 4, seq: 2048)
        let core = Estimator(model: model, cluster: dgxA100()).evaluate(layout, recipe: TrainingRecipe(framework: .megatronLM))
        let h = 1024.0
        let firstStage = 2 * gptLayerParameters(hidden: h) + (51200 + 2048) * h
        #expect(near(core.time.optimizer, firstStage * 34 / A100.hbm))
    }

    // MARK: Recipe defaults and layout rules

    /// Flash attention and overlap follow the framework unless set (`FrameworkProfile`).
    @Test func recipeDefaultsComeFromTheFramework() {
        #expect(TrainingRecipe(framework: .megatronCore).effectiveFlashAttention)
        #expect(!TrainingRecipe(framework: .megatronLM).effectiveFlashAttention)
        #expect(!TrainingRecipe(framework: .megatronCore, flashAttention: false).effectiveFlashAttention)
        #expect(TrainingRecipe(framework: .megatronCore).effectiveOverlapGradReduce)
        #expect(TrainingRecipe(framework: .megatronCore).effectiveOverlapParamGather)
        #expect(!TrainingRecipe(framework: .megatronCore).effectiveOverlapTPComm)
        #expect(!TrainingRecipe(framework: .megatronLM).resolved.overlapGradReduce!)
    }

    /// Megatron's layout rules, each with a case on either side of its boundary.
    @Test func layoutRules() {
        let model = megatronGPT(layers: 8, hidden: 1024, heads: 16)
        #expect(LayoutValidation.tensorParallelProblem(16, model: model) == nil)
        #expect(LayoutValidation.tensorParallelProblem(3, model: model) != nil)
        #expect(LayoutValidation.pipelineProblem(8, model: model) == nil)
        #expect(LayoutValidation.pipelineProblem(9, model: model) != nil)
        let recipe = TrainingRecipe(framework: .megatronLM)
        #expect(LayoutValidation.virtualStagesProblem(2, pp: 4, model: model, recipe: recipe) == nil)
        #expect(LayoutValidation.virtualStagesProblem(3, pp: 4, model: model, recipe: recipe) != nil)
        #expect(LayoutValidation.virtualStagesProblem(2, pp: 1, model: model, recipe: recipe) != nil)
        #expect(LayoutValidation.virtualStagesProblem(2, pp: 2, model: model,
                                                      recipe: TrainingRecipe(framework: .deepspeed)) != nil)
        #expect(LayoutValidation.batchProblem(globalBatch: 64, microBatch: 2, dp: 4) == nil)
        #expect(LayoutValidation.batchProblem(globalBatch: 60, microBatch: 2, dp: 4) != nil)
        #expect(LayoutValidation.interleavingBatchProblem(vpp: 2, pp: 4, microBatchesPerReplica: 8) == nil)
        #expect(LayoutValidation.interleavingBatchProblem(vpp: 2, pp: 4, microBatchesPerReplica: 6) != nil)
        #expect(LayoutValidation.contextProblem(2, seq: 2048) == nil)
        #expect(LayoutValidation.contextProblem(4, seq: 2052) != nil)
        let moe = mixtralShaped()
        #expect(LayoutValidation.expertProblem(2, dp: 2, cp: 1, model: moe) == nil)
        #expect(LayoutValidation.expertProblem(2, dp: 3, cp: 1, model: moe) != nil)
        #expect(LayoutValidation.expertProblem(3, dp: 3, cp: 1, model: moe) != nil)
        #expect(LayoutValidation.expertProblem(2, dp: 2, cp: 1, model: model) != nil)
        #expect(LayoutValidation.sequenceLengthProblem(10_000_000) == nil)
        #expect(LayoutValidation.sequenceLengthProblem(10_000_001) != nil)
    }

    /// Megatron-LM without overlap: ZeRO-1's step exposes the whole gradient reduce-scatter and
    /// the whole updated-weight all-gather.
    @Test func zero1StepChargesReductionAndGather() {
        let layout = ParallelLayout(dp: 8, zero: 1, globalBatch: 8, seq: 2048)
        let p = smallParameters
        let core = Estimator(model: small, cluster: dgxA100()).evaluate(layout, recipe: TrainingRecipe(framework: .megatronLM))
        #expect(near(core.time.dpComm, NVLinkByHand.reduceScatter(4 * p, ranks: 8) + NVLinkByHand.allGather(2 * p, ranks: 8)))
    }

    /// Megatron reduces gradients over DP x CP (all-reduce at ZeRO 0), and its distributed
    /// optimizer shards over them (reduce-scatter at ZeRO 1): DP 4 x CP 2 is one group of 8
    /// consecutive ranks.
    @Test func dataParallelGroupSpansContextParallelRanks() {
        let replicated = tasks(small, ParallelLayout(dp: 4, cp: 2, globalBatch: 4, seq: 2048), TrainingRecipe(framework: .megatronLM))
        #expect(replicated.shards == 8)
        #expect(near(replicated.gradientReductionSeconds, NVLinkByHand.allReduce(4 * smallParameters, ranks: 8)))
        let sharded = tasks(small, ParallelLayout(dp: 4, cp: 2, zero: 1, globalBatch: 4, seq: 2048), TrainingRecipe(framework: .megatronLM))
        #expect(sharded.shards == 8)
        #expect(near(sharded.gradientReductionSeconds, NVLinkByHand.reduceScatter(4 * smallParameters, ranks: 8)))
    }

    /// The estimate echoes the resolved recipe: Megatron-Core's flash attention and overlap on,
    /// Megatron-LM's off.
    @Test func estimateEchoesTheResolvedRecipe() {
        let estimator = Estimator(model: small, cluster: dgxA100())
        let core = estimator.estimate(ParallelLayout(seq: 2048), recipe: TrainingRecipe(framework: .megatronCore))
        #expect(core.layout.flashAttention && core.recipe.flashAttention && core.layout.overlapGradReduce)
        let lm = estimator.estimate(ParallelLayout(seq: 2048), recipe: TrainingRecipe(framework: .megatronLM))
        #expect(!lm.layout.flashAttention && !lm.recipe.flashAttention && !lm.recipe.overlapGradReduce)
    }
}

import CostModel
import Testing
import Workloads

/// The per-class accounting of parameters against hand counts of the mixed-precision bytes
/// (Rajbhandari et al. 2020, section 3.1; Micikevicius et al. 2018) and the ZeRO collectives
/// (Rajbhandari et al. 2020, section 7).
@Suite struct ParameterAccountingTests {
    /// Bytes per parameter without ZeRO, written out: weight + kept gradient + master + moments.
    @Test(arguments: [
        // Megatron bf16 Adam: 2 + 4 (fp32 main grad) + 4 + 8 = 18 (Korthikanti et al. 2022, section 3).
        (Framework.megatronCore, Precision.bf16, OptimizerKind.adam, 18.0),
        // DeepSpeed fp16 Adam: 2 + 2 + 4 + 8 = 16 (Rajbhandari et al. 2020: 2 + 2 + K, K = 12).
        (.deepspeed, .fp16, .adam, 16),
        // Pure fp32 Adam: 4 + 4 + 0 (no master copy) + 8 = 16.
        (.deepspeed, .fp32, .adam, 16),
        // Megatron bf16 8-bit Adam: 2 + 4 + 4 + 2 = 12 (Dettmers et al. 2022: two 1-byte moments).
        (.megatronLM, .bf16, .adam8bit, 12),
        // Megatron bf16 SGD with momentum: 2 + 4 + 4 + 4 = 14.
        (.megatronLM, .bf16, .sgd, 14),
    ])
    func bytesPerParameter(framework: Framework, precision: Precision, optimizer: OptimizerKind, expected: Double) {
        let recipe = TrainingRecipe(framework: framework, precision: precision, optimizer: optimizer)
        let accounting = ParameterAccounting(StageParameters(dense: 1000, expert: 0), layout: ParallelLayout(dp: 8),
                                             recipe: recipe)
        #expect(accounting.memory.modelStates == 1000 * expected)
    }

    @Test func frozenParametersKeepOnlyTheirWeights() {
        let layout = ParallelLayout(dp: 4, zero: 1)
        let params = StageParameters(dense: 1000, expert: 0, embedding: 400)
        let accounting = ParameterAccounting(params, layout: layout, recipe: TrainingRecipe(), frozen: [.dense])
        // Dense frozen: 1000 x 2 bytes of weights, nothing else; embedding trainable: weights 2,
        // fp32 main gradient 4, optimizer 12 sharded over the 4 DP ranks (ZeRO-1).
        #expect(accounting.memory.weights == 1000 * 2 + 400 * 2)
        #expect(accounting.memory.gradients == 400 * 4)
        #expect(accounting.memory.optimizer == 400 * 12 / 4)
        #expect(accounting.count(trainableOnly: true) == 400)
        #expect(accounting.updatedParameters == 100)
        // Only the trainable class is reduced (fp32 in Megatron) and re-gathered (bf16).
        #expect(accounting.gradientReductionBytes == 400 * 4)
        #expect(accounting.weightGatherBytes == 400 * 2)
        #expect(accounting.groups.first { $0.kind == .dense }?.collectives == [])
    }

    @Test(arguments: [
        (0, [DataParallelCollective.gradientAllReduce]),
        (1, [.gradientReduceScatter, .updatedWeightAllGather]),
        (2, [.gradientReduceScatter, .updatedWeightAllGather]),
        (3, [.perPassWeightAllGather, .gradientReduceScatter]),
    ])
    func collectivesFollowTheZeROStage(zero: Int, expected: [DataParallelCollective]) {
        let accounting = ParameterAccounting(StageParameters(dense: 10, expert: 0), layout: ParallelLayout(dp: 2, zero: zero),
                                             recipe: TrainingRecipe())
        #expect(accounting.groups.map(\.collectives) == [expected])
        let frozen = ParameterAccounting(StageParameters(dense: 10, expert: 0), layout: ParallelLayout(dp: 2, zero: zero),
                                         recipe: TrainingRecipe(), frozen: [.dense])
        let frozenExpected: [DataParallelCollective] = zero == 3 ? [.perPassWeightAllGather] : []
        #expect(frozen.groups.map(\.collectives) == [frozenExpected])
    }

    /// Routed experts are sharded over DP x CP / EP, the rest over DP x CP.
    @Test func expertsShardOverTheExpertDataParallelRanks() {
        let layout = ParallelLayout(dp: 8, cp: 2, ep: 4, zero: 1)
        let accounting = ParameterAccounting(StageParameters(dense: 1600, expert: 800), layout: layout,
                                             recipe: TrainingRecipe())
        // 1600 / 16 + 800 / (16 / 4) = 100 + 200 parameters updated here.
        #expect(accounting.updatedParameters == 300)
    }

    /// GPT-3 175B on pp 2, tp 8: the first stage holds the word embedding split by TP and the
    /// learned positions whole; the last the output layer (untied).
    @Test func embeddingClassOfAStage() {
        let model = megatronGPT(layers: 96, hidden: 12288, heads: 96)
        let layout = ParallelLayout(tp: 8, pp: 2)
        let g = LayerGeometry(model: model)
        let first = ParameterAccounting(stage: 0, geometry: g, model: model, layout: layout, recipe: TrainingRecipe())
        let last = ParameterAccounting(stage: 1, geometry: g, model: model, layout: layout, recipe: TrainingRecipe())
        let wordEmbedding: Double = 51200 * 12288 / 8
        let positions: Double = 2048 * 12288
        #expect(first.count(of: [.embedding]) == wordEmbedding + positions)
        #expect(last.count(of: [.embedding]) == wordEmbedding)
        #expect(first.count(of: [.expert]) == 0)
    }
}

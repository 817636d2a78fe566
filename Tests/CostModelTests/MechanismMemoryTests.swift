import Testing
@testable import CostModel
import Hardware
import Workloads

/// One test per memory mechanism, each against Korthikanti et al. 2022 (section 4, eq. 1-2 and
/// Table 2), Rajbhandari et al. 2020 (section 3.1) or a byte count written out in the test.
@Suite struct MechanismMemoryTests {
    let gpt = megatronGPT(layers: 4, hidden: 4096, heads: 32)
    let h = 4096.0, a = 32.0, s = 2048.0, vocab = 51200.0

    func perToken(_ model: TransformerModel, tp: Int = 1, sp: Bool = false, _ recipe: TrainingRecipe,
                  moe: Bool = false) -> Double {
        var layout = ParallelLayout(tp: tp, seq: 2048)
        layout.sequenceParallel = sp
        return ActivationMemory.bytesPerTokenPerLayer(geometry: LayerGeometry(model: model), moe: moe, layout: layout,
                                                      recipe: recipe.resolved, keyLength: 2048)
    }

    /// Korthikanti eq. 1: sbh(34 + 5as/h) per layer, i.e. 34h + 5as bytes per token; with TP
    /// (eq. 2) 10h + 24h/t + 5as/t; with SP (section 4.2.2) everything over t.
    @Test func gptLayerActivationsPerToken() {
        let megatron = TrainingRecipe(framework: .megatronLM)
        #expect(perToken(gpt, megatron) == 34 * h + 5 * a * s)
        #expect(perToken(gpt, tp: 2, megatron) == 10 * h + 24 * h / 2 + 5 * a * s / 2)
        #expect(perToken(gpt, tp: 2, sp: true, megatron) == (34 * h + 5 * a * s) / 2)
    }

    /// Selective recomputation and flash attention drop the 5as attention-core bytes and keep
    /// the fp32 softmax statistics, 4 bytes per head and token.
    @Test func selectiveRecomputeAndFlashKeepOnlySoftmaxStatistics() {
        #expect(perToken(gpt, TrainingRecipe(framework: .megatronCore)) == 34 * h + 4 * a)
        #expect(perToken(gpt, tp: 2, sp: true, TrainingRecipe(framework: .megatronLM, recompute: .selective))
                == (34 * h + 4 * a) / 2)
    }

    /// Full recomputation keeps each layer's 2-byte input: 2h per token, 2h/t with SP (Table 2).
    @Test func fullRecomputeKeepsLayerInputs() {
        var layout = ParallelLayout(tp: 2, seq: 2048)
        let g = LayerGeometry(model: gpt)
        let recipe = TrainingRecipe(framework: .megatronLM, recompute: .full)
        #expect(ActivationMemory.fullRecomputeBytesPerTokenPerLayer(geometry: g, layout: layout, recipe: recipe) == 2 * h)
        layout.sequenceParallel = true
        #expect(ActivationMemory.fullRecomputeBytesPerTokenPerLayer(geometry: g, layout: layout, recipe: recipe) == h)
    }

    /// A Mixtral-shaped MoE layer under flash attention, per token, bytes written out:
    /// norm and projection inputs and masks 10h; Q, K, V 2 x (4096 + 1024 + 1024); attention
    /// output 2h; router logits and probabilities fp32 8 x 8 experts; for each of the k = 2
    /// routed copies its input 2h, gate and up outputs 2 x 2 x ffn, activation 2 x ffn; softmax
    /// statistics 4 x 32 heads.
    @Test func moeLayerActivationsIncludeRouterAndRoutedCopies() {
        let ffn = 14336.0
        let expected = 10 * h + 2 * (4096 + 1024 + 1024) + 2 * h + 8 * 8
            + 2 * (2 * h + 2 * 2 * ffn + 2 * ffn) + 4 * a
        #expect(perToken(mixtralShaped(), TrainingRecipe(framework: .megatronCore), moe: true) == expected)
    }

    /// One GPU holding the whole 4-layer GPT for one micro-batch (Korthikanti 4.3): four layers
    /// of 34h + 5as, the embedding dropout mask (h), the final norm and output-layer inputs
    /// (2h + 2h) and the fp32 softmax the cross entropy saves (4V), per token.
    @Test func wholeModelActivationsOnOneGPU() {
        let tokens = s
        let g = LayerGeometry(model: gpt)
        let layout = ParallelLayout(seq: 2048)
        let none = MemoryModel.activationBytes(stage: 0, geometry: g, model: gpt, layout: layout,
                                               recipe: TrainingRecipe(framework: .megatronLM).resolved)
        #expect(none == tokens * (4 * (34 * h + 5 * a * s) + h + 4 * h + 4 * vocab))
        // Full recomputation: four stored inputs, plus one layer's activations while recomputed.
        let full = MemoryModel.activationBytes(stage: 0, geometry: g, model: gpt, layout: layout,
                                               recipe: TrainingRecipe(framework: .megatronLM, recompute: .full).resolved)
        #expect(full == tokens * (4 * 2 * h + (34 * h + 5 * a * s) + h + 4 * h + 4 * vocab))
    }

    /// Runtime context (topology), the 40M-element fp32 DDP bucket and 5% of the activations
    /// for the caching allocator.
    @Test func otherMemory() {
        #expect(near(MemoryModel.otherBytes(activations: 2e9, cluster: dgxA100()), A100.reserved + 40e6 * 4 + 0.05 * 2e9))
    }

    /// Mixed-precision model states (Rajbhandari et al. 2020, 3.1): Adam keeps a 4-byte master
    /// weight and two 4-byte moments (K = 12); SGD one moment (8); 8-bit Adam two 1-byte moments
    /// (6); pure fp32 Adam has no separate master copy (8).
    @Test func optimizerStateBytes() {
        #expect(OptimizerKind.adam.stateBytesPerParameter(precision: .bf16) == 12)
        #expect(OptimizerKind.sgd.stateBytesPerParameter(precision: .bf16) == 8)
        #expect(OptimizerKind.adam8bit.stateBytesPerParameter(precision: .bf16) == 6)
        #expect(OptimizerKind.adam.stateBytesPerParameter(precision: .fp32) == 8)
        #expect(Precision.bf16.weightBytes == 2 && Precision.fp32.weightBytes == 4)
        #expect(CostModelConstants.gradientAccumulationBytesPerParameter(gradientBytes: 2, accumulatorBytes: 4) == 10)
    }

    /// Megatron's 18 bytes per parameter (Korthikanti et al. 2022, section 3: 2 weight + 4 fp32
    /// gradient + 12 Adam) and DeepSpeed's 16 (Rajbhandari et al.: 2 + 2 + 12), at ZeRO 0.
    @Test func modelStateBytesPerParameter() {
        let params = StageParameters(dense: 1e9, expert: 0)
        let layout = ParallelLayout()
        #expect(ModelStateMemory.bytes(for: params, layout: layout, recipe: TrainingRecipe(framework: .megatronLM)).modelStates == 18e9)
        #expect(ModelStateMemory.bytes(for: params, layout: layout, recipe: TrainingRecipe(framework: .deepspeed)).modelStates == 16e9)
    }

    /// A tied model on one stage holds one embedding matrix (V h) plus the position table; with
    /// PP the last stage keeps its own copy of it for the output layer (Megatron).
    @Test func tiedEmbeddingCopyOnTheLastStage() {
        let model = tiedGPT()
        let g = LayerGeometry(model: model)
        let v = 50304.0, h = 1024.0
        let single = ModelStateMemory.parameters(stage: 0, geometry: g, model: model, layout: ParallelLayout(seq: 2048))
        #expect(single.embedding == v * h + 2048 * h)
        let last = ModelStateMemory.parameters(stage: 1, geometry: g, model: model, layout: ParallelLayout(pp: 2, seq: 2048))
        #expect(last.embedding == v * h)
        let untiedLast = ModelStateMemory.parameters(stage: 1, geometry: LayerGeometry(model: gpt), model: gpt,
                                                     layout: ParallelLayout(tp: 2, pp: 2, seq: 2048))
        #expect(untiedLast.embedding == vocab * self.h / 2)
    }

    /// Routed experts split over EP x TP: 8 experts of 3 x h x ffn on EP 2, TP 2.
    @Test func expertParametersSplitOverEPAndTP() {
        let model = mixtralShaped(layers: 1)
        let params = ModelStateMemory.layerParameters(layers: 1, moeLayers: 1, geometry: LayerGeometry(model: model),
                                                      layout: ParallelLayout(tp: 2, dp: 2, ep: 2))
        #expect(params.expert == 8 * 3 * 4096 * 14336 / (2 * 2))
    }

    @Test func breakdownTotal() {
        let m = MemoryBreakdown(weights: 1, gradients: 2, optimizer: 4, activations: 8, other: 16)
        #expect(m.total == 31 && m.modelStates == 7)
    }
}

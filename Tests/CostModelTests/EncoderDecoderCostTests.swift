import CostModel
import Hardware
import Testing
import Workloads

/// Encoder-only (BERT, RoBERTa) and encoder-decoder (T5, mT5) models in the cost model: the
/// estimate's FLOPs are those Workloads counts independently (`FLOPCount`: encoder over S input
/// tokens, decoder and logits over T target tokens, cross-attention K/V over S), the stages hold
/// every parameter, and a bidirectional encoder's flash-attention core is not halved.
@Suite struct EncoderDecoderCostTests {
    /// Model FLOPs of one step (from the estimate's TFLOP/s x step time x GPUs) against
    /// `TransformerModel.flops(seq:targetSeq:)` x the (S + T) tokens of each sequence (S only for
    /// an encoder-only model), with and without a pipeline over both stacks.
    @Test(arguments: [("t5-3b", 1), ("t5-3b", 4), ("mt5-xxl", 2), ("bert-large", 1), ("roberta-large", 3), ("t5-small", 3)])
    func stepFLOPsMatchWorkloadsCount(preset: String, pp: Int) throws {
        let model = try ModelCatalog.preset(named: preset)
        let (seq, target, batch) = (512, 128, 8)
        let layout = ParallelLayout(tp: 1, pp: pp, dp: 1, microBatch: 2, globalBatch: batch, seq: seq, targetSeq: target)
        let core = Estimator(model: model, cluster: dgxA100()).evaluate(layout, recipe: TrainingRecipe())
        let measured = core.tflopsPerGPU * 1e12 * core.stepSeconds * Double(pp)
        let tokens = model.isEncoderDecoder ? Double(seq + target) : Double(seq)
        let expected = model.trainingFLOPsPerToken(seq: seq, targetSeq: target) * tokens * Double(batch)
        #expect(abs(measured / expected - 1) < 0.002, "\(preset) pp \(pp): \(measured) vs \(expected)")
    }

    /// Over p stages the parameters add up to the model's, plus the copy of a tied output layer
    /// the last stage keeps when p > 1 (V x h: t5-small's 32,128 x 512).
    @Test func pipelineStagesHoldEveryParameter() throws {
        let model = try ModelCatalog.preset(named: "t5-small")
        let geometry = LayerGeometry(model: model)
        let layout = ParallelLayout(pp: 4)
        let sum = (0..<4).reduce(0.0) {
            $0 + ModelStateMemory.parameters(stage: $1, geometry: geometry, model: model, layout: layout).total
        }
        #expect(sum == Double(model.parameterCount.total) + 32128 * 512)
    }

    /// BERT's attention is bidirectional: its flash-attention core runs every one of the
    /// 4 b s^2 h score and value FLOPs at the topology's attention rate, never halved (and causal
    /// layers are timed on the same full work). A 512-key loop on A100 runs at FlashAttention-2's
    /// rates (Dao 2023, Fig. 4): causal 99 of its 189 TFLOP/s at 16k keys, unmasked 187 of 203 at
    /// 2k scaled to 512 keys by the tile count (`TileCountByHand`), so the causal layer's forward
    /// is longer by the difference of the two cores.
    @Test func bidirectionalCoreIsNotHalved() throws {
        let model = try ModelCatalog.preset(named: "bert-large")
        let cluster = dgxA100()
        let recipe = TrainingRecipe(flashAttention: true)
        let acc = cluster.accelerator
        let core = AttentionCoreTime(queries: 512, keys: 512, batch: 4 * 16, qkHeadDim: 64, vHeadDim: 64, recipe: recipe,
                                     accelerator: acc, mask: .bidirectional)
        let longRate = acc.peak16BitTFLOPS * 1e12 * acc.attentionEfficiency
        let rate = longRate * 187 / 203 * TileCountByHand.scale(keys: 512, k1: 2048, r1: 187, k2: 4096, r2: 196, causal: false)
        let coreFLOPs = 4.0 * 4 * 512 * 512 * 1024   // 4 b s^2 h: scores and attention x V
        #expect(abs(core.forward / (coreFLOPs / rate) - 1) < 1e-12)
        let layout = ParallelLayout(microBatch: 4, globalBatch: 4, seq: 512)
        let placement = RankPlacement(layout: layout, gpusPerNode: cluster.acceleratorsPerNode)
        let encoder = LayerGeometry(model: model)
        var causal = encoder
        causal.stacks.mask = .causal
        let full = LayerTimeModel.layer(geometry: encoder, moe: false, layout: layout, recipe: recipe, cluster: cluster,
                                        placement: placement)
        let masked = LayerTimeModel.layer(geometry: causal, moe: false, layout: layout, recipe: recipe, cluster: cluster,
                                          placement: placement)
        #expect(near(masked.forward - full.forward, coreFLOPs / (longRate * 99 / 189) - coreFLOPs / rate, 1e-9))
        #expect(full.modelFLOPs == masked.modelFLOPs)
    }
}

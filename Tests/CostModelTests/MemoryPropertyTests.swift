import CostModel
import Testing
import Workloads

/// Monotonicity of the memory model: more sharding never costs memory, more tokens never save it.
@Suite struct MemoryPropertyTests {
    let model = megatronGPT(layers: 96, hidden: 12288, heads: 96)
    var estimator: Estimator { Estimator(model: model, cluster: dgxA100()) }

    func peak(_ layout: ParallelLayout, _ recipe: TrainingRecipe = TrainingRecipe()) -> Double {
        estimator.peakMemory(layout, recipe: recipe)
    }

    @Test func neverGrowsWithTensorParallelism() {
        var previous = Double.infinity
        for tp in [1, 2, 4, 8] {
            let value = peak(ParallelLayout(tp: tp, pp: 8, dp: 1, microBatch: 1, globalBatch: 64),
                             TrainingRecipe(framework: .megatronLM))
            #expect(value <= previous, "tp \(tp)")
            previous = value
        }
    }

    @Test func neverGrowsWithPipelineParallelism() {
        var previous = Double.infinity
        for pp in [1, 2, 4, 8, 16] {
            let value = peak(ParallelLayout(tp: 8, pp: pp, microBatch: 1, globalBatch: 64), TrainingRecipe(framework: .megatronLM))
            #expect(value <= previous, "pp \(pp)")
            previous = value
        }
    }

    @Test func neverGrowsWithZeROStage() {
        var previous = Double.infinity
        for zero in 0...3 {
            let value = peak(ParallelLayout(tp: 8, pp: 4, dp: 16, zero: zero, microBatch: 1, globalBatch: 256))
            #expect(value <= previous, "zero \(zero)")
            previous = value
        }
    }

    @Test func growsWithMicroBatchAndSequence() {
        let small = peak(ParallelLayout(tp: 8, pp: 8, microBatch: 1, globalBatch: 64, seq: 2048))
        let biggerBatch = peak(ParallelLayout(tp: 8, pp: 8, microBatch: 2, globalBatch: 64, seq: 2048))
        let longer = peak(ParallelLayout(tp: 8, pp: 8, microBatch: 1, globalBatch: 64, seq: 4096))
        #expect(biggerBatch > small)
        #expect(longer > small)
    }

    @Test func fullRecomputeBelowSelectiveBelowNone() {
        func activations(_ recompute: Recompute) -> Double {
            let layout = ParallelLayout(tp: 8, pp: 8, microBatch: 1, globalBatch: 64)
            // Without flash attention, so that selective recomputation has the s x s scores to drop.
            let recipe = TrainingRecipe(recompute: recompute, flashAttention: false)
            return MemoryModel.activationBytes(stage: 0, geometry: LayerGeometry(model: model), model: model, layout: layout,
                                               recipe: recipe)
        }
        #expect(activations(.full) < activations(.selective))
        #expect(activations(.selective) < activations(.none))
    }
}

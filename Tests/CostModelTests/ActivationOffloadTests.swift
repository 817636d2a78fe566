import CostModel
import Hardware
import Testing
import Workloads

/// Offloaded activations and Cut Cross-Entropy (`TrainingRecipe.activationOffload`,
/// `cutCrossEntropy`), on Llama 3.1 8B (32 layers, h 4,096, vocabulary 128,256: Dubey et al.
/// 2024, Table 3), one GPU, one 2,048-token micro-batch in bf16, against hand counts.
@Suite struct ActivationOffloadTests {
    let model: TransformerModel
    init() throws { model = try ModelCatalog.preset(named: "llama-3.1-8b") }

    func parts(offload: Bool?) -> ActivationParts {
        var recipe = TrainingRecipe(recompute: .full)
        recipe.activationOffload = offload
        return MemoryModel.activationParts(stage: 0, geometry: LayerGeometry(model: model), model: model,
                                           layout: ParallelLayout(microBatch: 1, globalBatch: 1, seq: 2048), recipe: recipe)
    }

    /// Under full recomputation the layers keep their inputs, 32 x 2,048 x 4,096 x 2 bytes =
    /// 536,870,912. Offloaded, the GPU keeps the two layers in transit (33,554,432 bytes) and the
    /// host the other 30 (503,316,480); the recomputed layer and the loss stay on the GPU.
    @Test func theGPUKeepsTwoLayersInTransit() {
        let kept = parts(offload: nil), offloaded = parts(offload: true)
        #expect(kept.inFlight * kept.keptPerMicroBatch == 536_870_912)
        #expect(offloaded.inFlight * offloaded.keptPerMicroBatch == 2 * 2048 * 4096 * 2)
        #expect(offloaded.offloaded == 30 * 2048 * 4096 * 2)
        #expect(offloaded.live == kept.live && offloaded.loss == kept.loss)
    }

    /// The copies run behind the pass they belong to: 1 GB over a 32 GB/s host link takes 31.25
    /// ms, of which a 10 ms forward hides 10 and a 20 ms backward 20: 21.25 + 11.25 ms exposed.
    @Test func copiesLongerThanTheirPassAreExposed() throws {
        let cluster = try TopologyCatalog.load("rtx-4090")
        #expect(cluster.node.hostLinkGBps == 32)
        let exposed = OffloadTime.exposedActivationCopies(bytes: 1e9, cluster: cluster, forward: 0.010, backward: 0.020)
        #expect(abs(exposed - (0.02125 + 0.01125)) < 1e-12)
        #expect(OffloadTime.exposedActivationCopies(bytes: 1e8, cluster: cluster, forward: 0.010, backward: 0.020) == 0)
    }

    /// Cut Cross-Entropy never stores the logits: no bytes per logit, whatever the framework.
    @Test func cutCrossEntropyHoldsNoLogits() {
        var recipe = TrainingRecipe(framework: .torchtitan)
        #expect(recipe.peakLossBytesPerLogit(tp: 1) == 12)
        recipe.cutCrossEntropy = true
        #expect(recipe.peakLossBytesPerLogit(tp: 1) == 0)
    }
}

import Testing
@testable import CostModel
import Workloads

/// Megatron-Core's `TEGroupedMLP` adds the experts' fc2 bias after the grouped GEMM, scaled by
/// the router probabilities, as separate PyTorch ops (`_apply_bias`: `b * p`, `t + (b p)`,
/// `torch.cat`): 12 bytes per element of the [tokens x k, h] output forward, 16 backward
/// (`split`'s gradient copy, the bias and probability gradients' products and sums). The fused
/// grouped MLP (TE op fuser) and frameworks without that path move nothing extra.
@Suite struct ExpertBiasTrafficTests {
    /// A Mixtral-shaped MoE layer (top-2, h = 4096) at one 4096-token sequence on the A100:
    /// 4096 x 2 x 4096 = 33,554,432 elements of expert output.
    let layout = ParallelLayout(tp: 1, dp: 1, microBatch: 1, globalBatch: 1, seq: 4096)
    let elements: Double = 4096 * 2 * 4096

    func layer(bias: Bool, _ recipe: TrainingRecipe) -> LayerTime {
        var model = mixtralShaped()
        model.linearBias = bias
        return layerTime(model, layout, recipe, moe: true)
    }

    @Test func megatronAddsTheBiasUnfused() {
        for framework in [Framework.megatronCore, .nemo] {
            let recipe = TrainingRecipe(framework: framework)
            let with = layer(bias: true, recipe), without = layer(bias: false, recipe)
            #expect(near(with.forward - without.forward, hbmSeconds(12 * elements), 1e-6), "\(framework)")
            #expect(near(with.backward - without.backward, hbmSeconds(16 * elements), 1e-6), "\(framework)")
        }
    }

    @Test func theFusedGroupedMLPAndOtherFrameworksMoveNothing() {
        var fused = TrainingRecipe(framework: .nemo)
        fused.fusedGroupedMLP = true
        #expect(layer(bias: true, fused) == layer(bias: false, fused))
        let fsdp = TrainingRecipe(framework: .fsdp)
        #expect(layer(bias: true, fsdp) == layer(bias: false, fsdp))
        // A dense layer of the same model has no routed experts.
        var model = mixtralShaped()
        let plain = layerTime(model, layout, TrainingRecipe(framework: .nemo))
        model.linearBias = true
        #expect(layerTime(model, layout, TrainingRecipe(framework: .nemo)) == plain)
    }
}

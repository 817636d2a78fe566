import Testing
@testable import CostModel
import Workloads

/// GPT-OSS's clamped SwiGLU under Megatron-Core: `weighted_bias_quick_geglu_impl` clamps the two
/// halves of the fc1 output with `chunk`, two `clamp`s and a `cat` before its fused activation.
@Suite struct ClampedGLUTrafficTests {
    /// GPT-OSS's GLU clamp, eager before Megatron-Core's fused activation: 8 bytes per element of
    /// the [tokens x k, 2 f] fc1 output forward, 10 backward; Mixtral-shaped, 4096 x 2 x 2 x 14,336
    /// = 234,881,024 elements. Fused grouped MLP: nothing.
    @Test func theGLUClampIsEagerInMegatron() {
        func clamped(_ clamp: Bool, _ recipe: TrainingRecipe) -> LayerTime {
            var model = mixtralShaped()
            model.details.clampedGLU = clamp
            return layerTime(model, ParallelLayout(tp: 1, dp: 1, microBatch: 1, globalBatch: 1, seq: 4096), recipe, moe: true)
        }
        let fc1: Double = 4096 * 2 * 2 * 14336
        let nemo = TrainingRecipe(framework: .nemo)
        #expect(near(clamped(true, nemo).forward - clamped(false, nemo).forward, hbmSeconds(8 * fc1), 1e-6))
        #expect(near(clamped(true, nemo).backward - clamped(false, nemo).backward, hbmSeconds(10 * fc1), 1e-6))
        var fused = nemo
        fused.fusedGroupedMLP = true
        #expect(clamped(true, fused) == clamped(false, fused))
        #expect(clamped(true, TrainingRecipe(framework: .torchtitan)) == clamped(false, TrainingRecipe(framework: .torchtitan)))
    }
}

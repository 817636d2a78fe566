import Testing
@testable import CostModel
import Workloads

/// YaRN's attention factor (gpt-oss: 0.1 ln 32 + 1) is not taken by Megatron-Core's fused RoPE,
/// which then runs `_apply_rotary_pos_emb_bshd`: 24 bytes per element of Q and K forward and 20
/// backward, in place of the fused kernel's 4 forward (8 backward at the elementwise backward
/// factor 2). Plain RoPE, and frameworks without that fallback, are unchanged.
@Suite struct UnfusedRotaryTrafficTests {
    /// A Llama-3-8B-shaped layer at one 4096-token sequence on the A100, TP 1: Q and K are
    /// 4096 x (32 + 8) x 128 = 20,971,520 elements.
    let layout = ParallelLayout(tp: 1, dp: 1, microBatch: 1, globalBatch: 1, seq: 4096)
    let elements: Double = 4096 * (32 + 8) * 128

    func layer(yarn: Int?, _ framework: Framework) -> LayerTime {
        var model = llamaShaped()
        model.details.yarnFactor = yarn
        return layerTime(model, layout, TrainingRecipe(framework: framework))
    }

    @Test func megatronRunsTheEagerRoPEUnderYaRN() {
        for framework in [Framework.megatronCore, .nemo] {
            let yarn = layer(yarn: 32, framework), plain = layer(yarn: nil, framework)
            #expect(near(yarn.forward - plain.forward, hbmSeconds((24 - 4) * elements), 1e-6), "\(framework)")
            #expect(near(yarn.backward - plain.backward, hbmSeconds((20 - 2 * 4) * elements), 1e-6), "\(framework)")
        }
    }

    @Test func aFactorOfOneAndOtherFrameworksAreUnchanged() {
        #expect(layer(yarn: 1, .nemo) == layer(yarn: nil, .nemo))
        #expect(layer(yarn: 32, .torchtitan) == layer(yarn: nil, .torchtitan))
        #expect(layer(yarn: 32, .maxtext) == layer(yarn: nil, .maxtext))
    }
}

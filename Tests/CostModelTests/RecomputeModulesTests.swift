import Testing
@testable import CostModel
import Workloads

/// Megatron-Core's `recompute_modules` layernorm and moe_act: an MoE layer re-runs its pre-MLP
/// RMSNorm (4 bytes per element of [tokens, h]) and its experts' SwiGLU (6 bytes per element of
/// [tokens x k, f]) before the backward; a dense layer neither (TE fuses its norms into the
/// linear layers).
@Suite struct RecomputeModulesTests {
    /// Mixtral-shaped, one 4096-token sequence on the A100: the norm 4096 x 4096 elements, the
    /// experts' activation 4096 x 2 x 14,336.
    let layout = ParallelLayout(tp: 1, dp: 1, microBatch: 1, globalBatch: 1, seq: 4096)

    func recompute(_ modules: [RecomputeModule]?, moe: Bool) -> Double {
        var recipe = TrainingRecipe(framework: .nemo)
        recipe.recomputeModules = modules
        return layerTime(mixtralShaped(), layout, recipe, moe: moe).recompute
    }

    @Test func theMoELayersNormAndActivationReRun() {
        let norm = hbmSeconds(4 * 4096 * 4096)
        let activation = hbmSeconds(6 * 4096 * 2 * 14336)
        #expect(recompute(nil, moe: true) == 0)
        #expect(near(recompute([.layernorm], moe: true), norm))
        #expect(near(recompute([.moeAct], moe: true), activation))
        #expect(near(recompute([.layernorm, .moeAct], moe: true), norm + activation))
        #expect(recompute([.layernorm, .moeAct], moe: false) == 0)
    }

    @Test func theListReadsMegatronsNames() {
        #expect(RecomputeModule.list("layernorm,moe_act") == [.layernorm, .moeAct])
        #expect(RecomputeModule.list(" moe_act ") == [.moeAct])
        #expect(RecomputeModule.list("layernorm,core_attn") == nil)
        #expect(RecomputeModule.list("") == nil)
    }
}

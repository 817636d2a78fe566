import Testing
@testable import CostModel
import Workloads

/// Megatron-Core's EP A2A overlap (`overlap_moe_expert_parallel_comm`): a layer's token
/// dispatches and combines run behind the compute of the micro-batch the 1F1B steady state pairs
/// it with, so a stage's EP time is, per MoE layer, what the overlap rule leaves exposed of the
/// four all-to-alls behind the layer's forward + backward (`exposedByHand`: the part that does not
/// fit, plus 10% of what does). Megatron-Core asserts EP > 1, virtual stages when PP > 1 and no
/// full recomputation for it (transformer_config.py); outside those it runs in series.
@Suite struct ExpertOverlapTests {
    let model = mixtralShaped(layers: 2)

    @Test func exposedEPTimeFollowsTheOverlapRule() {
        let layout = ParallelLayout(dp: 4, ep: 4, microBatch: 1, globalBatch: 8, seq: 4096)
        var off = TrainingRecipe(framework: .megatronCore)
        off.overlapEPComm = false
        var on = off
        on.overlapEPComm = true
        let layer = layerTime(model, layout, on, moe: true)
        let ep = layer.epCommForward + layer.epCommBackward
        #expect(ep > 0)
        // Both layers of the 2-layer model are MoE.
        #expect(abs(stageTime(0, model, layout, off).epComm - 2 * ep) < 1e-12)
        #expect(abs(stageTime(0, model, layout, on).epComm
                    - 2 * exposedByHand(ep, window: layer.forward + layer.backward)) < 1e-12)
    }

    @Test func megatronsConditions() {
        // Off unless a run asks for it, NeMo's recipes included (their per-release settings).
        #expect(!TrainingRecipe(framework: .nemo).overlapsEPComm(in: ParallelLayout(dp: 8, ep: 8)))
        var recipe = TrainingRecipe(framework: .nemo)
        recipe.overlapEPComm = true
        #expect(recipe.overlapsEPComm(in: ParallelLayout(dp: 8, ep: 8)))
        #expect(!recipe.overlapsEPComm(in: ParallelLayout(dp: 8, ep: 1)))
        #expect(!recipe.overlapsEPComm(in: ParallelLayout(pp: 2, dp: 4, ep: 4)))
        #expect(recipe.overlapsEPComm(in: ParallelLayout(pp: 2, dp: 4, ep: 4, vpp: 2)))
        recipe.recompute = .full
        #expect(!recipe.overlapsEPComm(in: ParallelLayout(dp: 8, ep: 8)))
        // Off by default in Megatron-Core itself.
        #expect(!TrainingRecipe(framework: .megatronCore).overlapsEPComm(in: ParallelLayout(dp: 8, ep: 8)))
    }
}

import CostModel
import Hardware
import Testing
import Workloads

/// Framework profiles change kernels, not tuning factors: eager PyTorch moves more bytes per
/// elementwise op and runs FlashAttention-2 (35% of H100 peak, Shah et al. 2024) where Megatron
/// runs Transformer Engine's cuDNN kernel.
@Suite struct FrameworkProfileTests {
    let model: TransformerModel
    let h100: ClusterTopology

    init() throws {
        model = try ModelCatalog.preset(named: "llama-3.1-8b")
        h100 = try TopologyCatalog.load("dgx-h100")
    }

    func layer(_ framework: Framework) -> LayerTime {
        let layout = ParallelLayout(dp: 8, microBatch: 1, globalBatch: 8, seq: 8192)
        let recipe = TrainingRecipe(framework: framework, flashAttention: true)
        return LayerTimeModel.layer(geometry: LayerGeometry(model: model), moe: false, layout: layout, recipe: recipe,
                                    cluster: h100,
                                    placement: RankPlacement(layout: layout, gpusPerNode: 8))
    }

    @Test func eagerPyTorchIsSlowerThanFusedKernelsAtTheSameShape() {
        let fused = layer(.megatronCore)
        let eager = layer(.torchtitan)
        #expect(eager.linearForward == fused.linearForward)  // same GEMMs
        #expect(eager.forward > fused.forward)
        #expect(eager.backward > fused.backward)
    }

    @Test func hopperFlashAttention2RateComesFromTheTopology() throws {
        let accelerator = h100.accelerator
        let fa2 = try #require(accelerator.flashAttention2Efficiency)
        #expect(fa2 == 0.35)
        #expect(accelerator.attentionEfficiency > fa2)
        // Modelled FLOPs are the same; only the kernel's rate differs.
        #expect(layer(.torchtitan).modelFLOPs == layer(.megatronCore).modelFLOPs)
    }
}

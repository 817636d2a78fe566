import CostModel
import Testing
import Workloads

/// The cost model shards the same parameters `loom describe` counts: on one GPU (no TP, PP or
/// EP) the stage's parameters are exactly `parameterCount.total` (Hugging Face's
/// `num_parameters()`, checked against published totals in WorkloadsTests), for every preset,
/// dense or MoE, MLA or not.
@Suite struct LayerGeometryCountTests {
    @Test(arguments: ModelCatalog.names)
    func oneGPUHoldsEveryParameterOnce(preset: String) throws {
        let model = try ModelCatalog.preset(named: preset)
        let params = ModelStateMemory.parameters(stage: 0, geometry: LayerGeometry(model: model), model: model,
                                                 layout: ParallelLayout())
        #expect(params.total == Double(model.parameterCount.total), "\(preset)")
    }

    /// With TP t and EP e the per-GPU shares add back up to the whole: over the t x e GPUs of
    /// one replica, the split matrices once and the replicated vectors t times
    /// (Mixtral 8x7B, t = 2, e = 4; its layers have no biases, so only norms and routers repeat).
    @Test func shardsAddUpToTheModel() throws {
        let model = try ModelCatalog.preset(named: "mixtral-8x7b")
        let g = LayerGeometry(model: model)
        let whole = ModelStateMemory.layerParameters(layers: model.layers, moeLayers: g.moeLayers, geometry: g,
                                                     layout: ParallelLayout())
        let split = ModelStateMemory.layerParameters(layers: model.layers, moeLayers: g.moeLayers, geometry: g,
                                                     layout: ParallelLayout(tp: 2, dp: 4, ep: 4))
        // Replicated per layer: two RMSNorms (2h) and the router (8h).
        let replicated = Double(model.layers) * (2 * 4096 + 8 * 4096)
        #expect(2 * split.dense - replicated == whole.dense)
        #expect(2 * 4 * split.expert == whole.expert)
    }
}

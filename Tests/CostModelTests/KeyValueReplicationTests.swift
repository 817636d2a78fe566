import Testing
@testable import CostModel
import Workloads

/// K/V heads replicated when TP exceeds them (PaLM 540B: 12-way TP over one K/V head).
@Suite struct KeyValueReplicationTests {
    /// One PaLM layer per rank at TP 12, by hand: matmul weights 18432 x (12288 + 256 + 256 +
    /// 2 x 73728) + (12288 + 73728) x 18432 = 4,539,285,504; of them K and V, 18432 x 512 =
    /// 9,437,184, are whole on every rank; the rest split 12 ways: 4,529,848,320 / 12 =
    /// 377,487,360; plus the one LayerNorm's 18,432 scales: 386,942,976.
    @Test func palmLayerWeightsPerRank() throws {
        let model = try ModelCatalog.preset(named: "palm-540b")
        let g = LayerGeometry(model: model)
        #expect(g.keyValueWidthPerRank(tp: 12) == 512)
        #expect(g.keyValueWidthPerRank(tp: 1) == 512)
        let layout = ParallelLayout(tp: 12, dp: 512)
        let perRank = ModelStateMemory.layerParameters(layers: 1, moeLayers: 0, geometry: g, layout: layout)
        #expect(perRank.total == 386_942_976)
    }

    /// GQA with 8 K/V heads at TP 16 (MaxText on GPUs): two ranks share each K/V head, each
    /// computes the whole head: K + V width per rank = 2 x 128, not 2 x 1024 / 16 = 128.
    @Test func groupedQueryAboveTheKeyValueHeads() throws {
        let model = try ModelCatalog.preset(named: "llama-3.1-70b")
        let g = LayerGeometry(model: model)
        #expect(g.keyValueWidthPerRank(tp: 8) == 256)
        #expect(g.keyValueWidthPerRank(tp: 16) == 256)
        #expect(LayoutValidation.tensorParallelProblem(16, model: model, replicatesKeyValueHeads: true) == nil)
        #expect(LayoutValidation.tensorParallelProblem(16, model: model) == "--tp 16 does not divide 8 key/value heads")
        #expect(LayoutValidation.tensorParallelProblem(12, model: model, replicatesKeyValueHeads: true)
                == "--tp 12 does not divide 64 attention heads")
    }
}

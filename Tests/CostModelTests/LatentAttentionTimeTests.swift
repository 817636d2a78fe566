import Testing
@testable import CostModel
import Hardware
import Workloads

/// Multi-head latent attention is costed through its low-rank projections, not as full-rank
/// Q/K/V: DeepSeek-V3's attention block per token (DeepSeek-V3 report, section 2.1.1; shapes of
/// huggingface.co/deepseek-ai/DeepSeek-V3 config.json: h 7168, q rank 1536, kv rank 512, rope 64,
/// 128 heads of 128 + 64 for Q/K and 128 for V):
/// q_a 7168 x 1536 = 11,010,048; q_b 1536 x 128 x 192 = 37,748,736; kv_a 7168 x (512 + 64) =
/// 4,128,768; kv_b 512 x 128 x (128 + 128) = 16,777,216; o 128 x 128 x 7168 = 117,440,512:
/// 187,105,280 weights, 2 FLOPs each per token forward.
@Suite struct LatentAttentionTimeTests {
    let attention: Double = 11_010_048 + 37_748_736 + 4_128_768 + 16_777_216 + 117_440_512

    func layer(tp: Int) throws -> LayerTime {
        let model = try ModelCatalog.preset(named: "deepseek-v3")
        let cluster = try TopologyCatalog.load("dgx-h100")
        var layout = ParallelLayout(tp: tp, microBatch: 1, globalBatch: 1, seq: 4096)
        layout.sequenceParallel = tp > 1
        let recipe = TrainingRecipe(framework: .megatronCore).resolved
        return LayerTimeModel.layer(geometry: LayerGeometry(model: model), moe: false, layout: layout, recipe: recipe,
                                    cluster: cluster, placement: RankPlacement(layout: layout, gpusPerNode: 8))
    }

    /// A dense DeepSeek-V3 layer (the first three): model FLOPs = 3 x forward, the forward being
    /// the attention block above and the SwiGLU MLP (3 x 7168 x 18432) per token, plus the
    /// attention core 2 x 128 heads x 4096^2 x (192 + 128).
    @Test func modelFLOPsCountTheLowRankProjections() throws {
        let tokens = 4096.0
        let mlp: Double = 3 * 7168 * 18432
        let core: Double = 2 * 128 * 4096 * 4096 * (192 + 128)
        let forward = 2 * tokens * (attention + mlp) + core
        #expect(abs(try layer(tp: 1).modelFLOPs / (3 * forward) - 1) < 1e-12)
    }

    /// Under TP 2 each rank runs the down projections whole (Megatron-Core duplicates them):
    /// hardware FLOPs exceed the model's share by 3 x 2 x tokens x 7168 x (1536 + 512 + 64) / 2.
    @Test func downProjectionsAreDuplicatedOverTensorParallelism() throws {
        let t = try layer(tp: 2)
        let down: Double = 7168 * (1536 + 512 + 64)
        let duplicated = 3 * 2 * 4096 * down * (1 - 1.0 / 2)
        #expect(abs((t.hardwareFLOPs - t.modelFLOPs) / duplicated - 1) < 1e-12)
    }
}

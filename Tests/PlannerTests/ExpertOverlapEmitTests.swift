import CostModel
import Hardware
import Testing
import Workloads
@testable import Planner

/// `--emit megatron` writes Megatron-Core's EP A2A overlap flag (the TransformerConfig field
/// `overlap_moe_expert_parallel_comm`, argparse `--overlap-moe-expert-parallel-comm`) where the
/// recipe overlaps the all-to-alls, and leaves it out where Megatron-Core would refuse it (PP
/// without virtual stages).
@Suite struct ExpertOverlapEmitTests {
    @Test func flagFollowsTheRecipe() throws {
        let model = try ModelCatalog.preset(named: "mixtral-8x7b")
        let cluster = try TopologyCatalog.load("dgx-h100")
        func args(_ layout: ParallelLayout, overlap: Bool? = true) throws -> [String] {
            var recipe = TrainingRecipe(framework: .nemo)
            recipe.overlapEPComm = overlap
            let plan = Estimator(model: model, cluster: cluster).estimate(layout, recipe: recipe)
            return try LaunchArguments.megatronArguments(plan, model: model)
        }
        let flat = ParallelLayout(dp: 8, ep: 8, zero: 1, microBatch: 1, globalBatch: 64, seq: 4096)
        #expect(try args(flat).contains("--overlap-moe-expert-parallel-comm"))
        // Off unless asked for (Megatron-Core's default).
        #expect(!(try args(flat, overlap: nil).contains("--overlap-moe-expert-parallel-comm")))
        #expect(!(try args(ParallelLayout(pp: 2, dp: 4, ep: 4, zero: 1, microBatch: 1, globalBatch: 64, seq: 4096))
            .contains("--overlap-moe-expert-parallel-comm")))
    }
}

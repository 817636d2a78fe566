import CostModel
import Hardware
import Testing
import Workloads
@testable import Planner

@Suite struct PlanExplanationTests {
    let model = megatronGPT(layers: 96, hidden: 12288, heads: 96)

    @Test func namesTheTermThatDiffersMostAndTheLayoutDifference() {
        let estimator = Estimator(model: model, cluster: cluster())
        // Interleaving (vpp 2) shrinks the 1F1B bubble by half (Narayanan et al. 2021, section 2.2).
        let base = ParallelLayout(tp: 8, pp: 8, dp: 1, microBatch: 1, globalBatch: 64, seq: 2048)
        let recipe = TrainingRecipe(framework: .megatronLM, recompute: .full)
        var interleaved = base
        interleaved.vpp = 2
        let plans = [estimator.estimate(interleaved, recipe: recipe), estimator.estimate(base, recipe: recipe)]
        let text = PlanExplanation.compare(plans, objective: .throughput)
        #expect(text.hasPrefix("best is "))
        #expect(text.contains("less pipeline bubble (vpp 2 vs 1)"), "\(text)")
        #expect(PlanExplanation.compare(Array(plans.prefix(1)), objective: .throughput) == "only one layout fits")
    }
}

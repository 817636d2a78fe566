import CostModel
import Hardware
import Planner
import Testing
import Workloads

/// `loom fit`: the largest fitting value is the boundary (it fits, one more does not), and the
/// settings search returns only fitting recipes, fastest first.
@Suite struct FitSearchTests {
    @Test(arguments: [1, 2, 37, 1000, 4096])
    func largestFindsTheBoundary(boundary: Int) {
        var calls = 0
        let found = FitSearch.largest(upTo: 1 << 20) { n in
            calls += 1
            return n <= boundary
        }
        #expect(found == boundary)
        #expect(calls <= 2 * 21 + 1, "O(log n) probes: \(calls)")
        #expect(FitSearch.largest(upTo: 100) { _ in false } == nil)
        #expect(FitSearch.largest(upTo: 100) { _ in true } == 100)
    }

    @Test func longestSequenceIsTheLastThatFits() throws {
        let model = try ModelCatalog.preset(named: "llama-3.1-8b")
        let cluster = try TopologyCatalog.load("rtx-4090")
        let estimator = Estimator(model: model, cluster: cluster)
        var recipe = TrainingRecipe(framework: .fsdp, recompute: .full)
        recipe.fineTuning = FineTuning(method: .qlora)
        let layout = ParallelLayout(microBatch: 1, globalBatch: 1, seq: 1024)
        let fit = try #require(FitSearch.longestSequence(layout, recipe: recipe, estimator: estimator, limit: 1 << 20))
        var next = layout
        next.seq = fit.value + 1
        #expect(fit.estimate.fits)
        #expect(!estimator.estimate(next, recipe: recipe).fits)
    }

    @Test func settingsThatFitAreFastestFirst() throws {
        let model = try ModelCatalog.preset(named: "llama-3.1-8b")
        let cluster = try TopologyCatalog.load("rtx-4090")
        let estimator = Estimator(model: model, cluster: cluster)
        let layout = ParallelLayout(microBatch: 1, globalBatch: 8, seq: 4096)
        let found = FitSearch.cheapestSettings(layout, recipe: TrainingRecipe(framework: .fsdp), estimator: estimator)
        #expect(!found.isEmpty)
        #expect(found.allSatisfy { $0.estimate.fits })
        #expect(zip(found, found.dropFirst()).allSatisfy { $0.estimate.tokensPerS >= $1.estimate.tokensPerS })
        // Full fine-tuning of 8B with Adam cannot fit 24 GB without offloading (16 bytes/parameter).
        #expect(found.allSatisfy { $0.recipe.offload != .none })
        // bitsandbytes' optimizers do not run under CPU offload (`FineTuneValidation`).
        #expect(found.allSatisfy { $0.recipe.optimizer == .adam })
    }
}

import CostModel
import Testing
import Workloads

/// The cost model counts FLOPs from its own GEMM shapes; the Workloads module counts them from
/// the architecture (Narayanan et al. 2021 eq. 3 without recomputation). The two must agree, or
/// MFU would mean different things in `describe` and `estimate`.
@Suite struct FLOPConsistencyTests {
    @Test(arguments: ["megatron-1t", "gpt3-175b", "llama-3.1-8b", "mixtral-8x7b"])
    func costModelFLOPsMatchWorkloadsFLOPs(preset: String) throws {
        let model = try ModelCatalog.preset(named: preset)
        let seq = 2048
        let layout = ParallelLayout(tp: 1, pp: 1, dp: 1, microBatch: 1, globalBatch: 1, seq: seq)
        let core = Estimator(model: model, cluster: dgxA100()).evaluate(layout, recipe: TrainingRecipe())
        let perToken = core.tflopsPerGPU * 1e12 * core.stepSeconds / Double(seq)
        let expected = model.trainingFLOPsPerToken(seq: seq)
        // The cost model's router GEMM (MoE) is counted by both; norms and biases by neither.
        #expect(abs(perToken / expected - 1) < 0.002, "\(preset): \(perToken) vs \(expected)")
    }
}

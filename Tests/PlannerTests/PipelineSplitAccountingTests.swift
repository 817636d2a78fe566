import CostModel
import Hardware
import Testing
import Workloads
@testable import Planner

/// More virtual stages than layers: Megatron-Core's `--account-for-embedding-in-pipeline-split`
/// and `--account-for-loss-in-pipeline-split` count the embedding and the loss as a layer each
/// (megatron/training/arguments.py: (layers + 2) divisible by PP and the per-rank count by VPP),
/// as Megatron-Bridge's Llama 3.1 405B recipes run 126 layers on PP 16 x VP 8 (26.04 table).
@Suite struct PipelineSplitAccountingTests {
    let model: TransformerModel

    init() throws { model = try ModelCatalog.preset(named: "llama-3.1-405b") }

    @Test func megatronFlags() throws {
        let cluster = try TopologyCatalog.load("gb200-nvl72")
        let plan = Estimator(model: model, cluster: cluster).estimate(
            ParallelLayout(tp: 4, pp: 16, dp: 4, vpp: 8, zero: 1, sequenceParallel: true, microBatch: 1,
                           globalBatch: 1536, seq: 8192),
            recipe: TrainingRecipe(framework: .nemo, precision: .mxfp8))
        let args = try LaunchArguments.megatronArguments(plan, model: model, gpuArchMajor: 10)
        #expect(args.contains("--account-for-embedding-in-pipeline-split") && args.contains("--account-for-loss-in-pipeline-split"))
        let index = try #require(args.firstIndex(of: "--num-virtual-stages-per-pipeline-rank"))
        #expect(args[index + 1] == "8")
        #expect(!args.contains("--decoder-first-pipeline-num-layers"))
    }
}

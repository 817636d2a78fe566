import Testing
@testable import CostModel
import Workloads

/// More virtual stages than layers: Megatron-Core's `--account-for-embedding-in-pipeline-split`
/// and `--account-for-loss-in-pipeline-split` count the embedding and the loss as a layer each
/// (megatron/training/arguments.py: (layers + 2) divisible by PP and the per-rank count by VPP),
/// as Megatron-Bridge's Llama 3.1 405B recipes run 126 layers on PP 16 x VP 8 (26.04 table).
@Suite struct PipelineAccountingRuleTests {
    let model: TransformerModel

    init() throws { model = try ModelCatalog.preset(named: "llama-3.1-405b") }

    @Test func layoutRule() {
        let nemo = TrainingRecipe(framework: .nemo)
        #expect(model.totalLayerCount == 126)
        // 16 x 8 = 128 = 126 + 2: accepted where the framework counts embedding and loss.
        #expect(LayoutValidation.virtualStagesProblem(8, pp: 16, model: model, recipe: nemo) == nil)
        #expect(LayoutValidation.virtualStagesProblem(8, pp: 16, model: model, recipe: TrainingRecipe(framework: .megatronLM)) != nil)
        // 16 x 9 = 144 > 128; 127 virtual stages would need 128 to divide by them.
        #expect(LayoutValidation.virtualStagesProblem(9, pp: 16, model: model, recipe: nemo) != nil)
    }

    /// The stages hold (126 + 2) / 16 = 8 slots each, the first and last one of them the
    /// embedding and the loss: 7, 14 x 8, 7 layers, which is StageAssignment's split too.
    @Test func stagesMatchMegatronsAccountedSplit() {
        let split = StageAssignment(stages: 16, layers: 126)
        #expect(split.layers(onStage: 0) == 7 && split.layers(onStage: 15) == 7)
        #expect((1..<15).allSatisfy { split.layers(onStage: $0) == 8 })
    }

}

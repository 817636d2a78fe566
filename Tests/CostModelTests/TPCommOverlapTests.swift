import CostModel
import Hardware
import Testing
import Workloads

/// TP communication overlap needs sequence parallelism (`TrainingRecipe.overlapsTPComm(in:)`):
/// Megatron-LM's `arguments.py` asserts it for `--tp-comm-overlap`, and NeMo r2.0.0rc1's
/// `megatron_base_model.py` sets `ub_tp_comm_overlap` to False without it. So NeMo's profile,
/// which overlaps by default, exposes every TP all-reduce of a layout without sequence
/// parallelism, as if the switch were off, and hides them behind the GEMMs with it.
@Suite struct TPCommOverlapTests {
    @Test func overlapNeedsSequenceParallelism() throws {
        let model = try ModelCatalog.preset(named: "llama-2-7b")
        let cluster = try TopologyCatalog.load("dgx-h100")
        func tpComm(sequenceParallel: Bool, overlap: Bool?) -> Double {
            var recipe = TrainingRecipe(framework: .nemo, precision: .bf16)
            recipe.overlapTPComm = overlap
            let layout = ParallelLayout(tp: 2, sequenceParallel: sequenceParallel, microBatch: 1, globalBatch: 4, seq: 4096)
            return Estimator(model: model, cluster: cluster).estimate(layout, recipe: recipe).time.tpComm
        }
        #expect(tpComm(sequenceParallel: false, overlap: nil) > 0)
        #expect(tpComm(sequenceParallel: false, overlap: nil) == tpComm(sequenceParallel: false, overlap: false))
        #expect(tpComm(sequenceParallel: true, overlap: nil) < tpComm(sequenceParallel: true, overlap: false))
        let nemo = TrainingRecipe(framework: .nemo)
        #expect(!nemo.overlapsTPComm(in: ParallelLayout(tp: 2, sequenceParallel: false)))
        #expect(nemo.overlapsTPComm(in: ParallelLayout(tp: 2, sequenceParallel: true)))
    }
}

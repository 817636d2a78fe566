import CostModel
import Hardware
import Testing
import Workloads

/// Gradients allocated during the backward (`ProgressiveGradients`): the allocated peak of a
/// one-GPU PyTorch step is the larger of the backward's start and end, not their sum.
@Suite struct ProgressiveGradientsTests {
    /// 10 GB of states, 4 of gradients, 6 of activations (1 only in the reserve), 0.5 at the end:
    /// start 10 + 6 - 1 = 15, end 10 + 4 + 0.5 = 14.5: the peak is 15, where the sum held 19.
    @Test func thePeakIsTheLargerEnd() {
        #expect(ProgressiveGradients.allocatedPeak(statesWithoutGradients: 10, gradients: 4, activations: 6,
                                                   reservedOnly: 1, endActivations: 0.5) == 15)
        #expect(ProgressiveGradients.allocatedPeak(statesWithoutGradients: 10, gradients: 8, activations: 6,
                                                   reservedOnly: 1, endActivations: 0.5) == 18.5)
    }

    /// One GPU, one micro-batch a step, a PyTorch loop: applies. Accumulating micro-batches,
    /// several GPUs, the step inside the backward, offload, or Megatron's buffer: it does not.
    @Test func onlyOneGPUOneMicroBatchPyTorch() {
        let one = ParallelLayout(microBatch: 2, globalBatch: 2, seq: 4096)
        let fsdp = TrainingRecipe(framework: .fsdp)
        #expect(ProgressiveGradients.apply(layout: one, recipe: fsdp))
        #expect(!ProgressiveGradients.apply(layout: ParallelLayout(microBatch: 2, globalBatch: 4, seq: 4096), recipe: fsdp))
        #expect(!ProgressiveGradients.apply(layout: ParallelLayout(dp: 2, microBatch: 2, globalBatch: 4, seq: 4096), recipe: fsdp))
        var inBackward = fsdp
        inBackward.optimizerInBackward = true
        #expect(!ProgressiveGradients.apply(layout: one, recipe: inBackward))
        var offload = fsdp
        offload.offload = .optimizer
        #expect(!ProgressiveGradients.apply(layout: one, recipe: offload))
        #expect(!ProgressiveGradients.apply(layout: one, recipe: TrainingRecipe(framework: .megatronCore)))
    }

    /// Llama 3.2 3B (3,212,749,824 parameters) in pure bf16 with AdamW, checkpointed: weights 2,
    /// moments 4 and gradients 2 bytes a parameter, 25,701,998,592 bytes, all alive at the
    /// backward's end; the allocated peak adds only the first layer's working set (under 1 GiB),
    /// not the checkpoints and the loss, which the sum counted too.
    @Test func llama3BCheckpointedPeaksAtTheBackwardsEnd() throws {
        let model = try ModelCatalog.preset(named: "llama-3.2-3b")
        #expect(model.totalParameters == 3_212_749_824)
        var recipe = TrainingRecipe(framework: .fsdp, recompute: .full)
        recipe.masterWeights = false
        recipe.lossOutputChunks = 8
        recipe.fusedKernels = true
        let layout = ParallelLayout(microBatch: 2, globalBatch: 2, seq: 4096)
        let memory = Estimator(model: model, cluster: try TopologyCatalog.load("a100-80gb-pcie")).estimate(layout, recipe: recipe).memory
        let states = 8.0 * 3_212_749_824
        #expect(abs(memory.stages[0].modelStates - states) / states < 0.001)
        #expect(memory.allocated > states && memory.allocated < states + 1_073_741_824)
        #expect(memory.stages[0].weights + memory.stages[0].gradients + memory.stages[0].optimizer
                + memory.stages[0].activations - memory.allocated > 2 * 1_073_741_824)
    }
}

import CostModel
import Testing
import Workloads

/// The loss over chunked logits (`TrainingRecipe.lossOutputChunks`, `ChunkedLossMemory`;
/// torchtune's `CEWithChunkedOutputLoss`) on Llama 3.1 8B at batch 2 x 2048 on one GPU: 4,096
/// tokens x 128,256 vocabulary = 525,336,576 logits, bf16.
@Suite struct ChunkedLossMemoryTests {
    func activations(_ recipe: TrainingRecipe) throws -> Double {
        let model = try ModelCatalog.preset(named: "llama-3.1-8b")
        let layout = ParallelLayout(microBatch: 2, globalBatch: 2, seq: 2048)
        return MemoryModel.activationBytes(stage: 0, geometry: LayerGeometry(model: model), model: model, layout: layout,
                                           recipe: recipe)
    }

    /// Compiled (torchtune's `compile_loss`), 8 chunks: the bf16 logits of every chunk (2) and one
    /// chunk's bf16 gradient (2 / 8), 2.25 bytes per logit where the fsdp profile's loss over the
    /// whole logits holds 4: 1.75 x 525,336,576 = 919,339,008 bytes fewer. Eager: the bf16
    /// chunks (2), every chunk's saved fp32 log-softmax (4) and the last chunk's fp32 upcast
    /// (4 / 8), 6.5 bytes: 2.5 x 525,336,576 = 1,313,341,440 bytes more than the eager layers
    /// with the whole loss (whose recomputed layer keeps eager PyTorch's own tensors,
    /// `EagerSavedActivations`). Nothing else moves.
    @Test func chunkedLossHoldsTheModelDtypeLogits() throws {
        var recipe = TrainingRecipe(framework: .fsdp, recompute: .full)
        recipe.fusedKernels = true
        let whole = try activations(recipe)
        recipe.lossOutputChunks = 8
        #expect(whole - (try activations(recipe)) == 919_339_008)
        recipe.fusedKernels = false
        var eagerWhole = recipe
        eagerWhole.lossOutputChunks = nil
        #expect(try activations(recipe) - (try activations(eagerWhole)) == 1_313_341_440)
        // One chunk, compiled: the logits and their whole bf16 gradient, 2 + 2 = 4 bytes.
        recipe.fusedKernels = true
        recipe.lossOutputChunks = 1
        #expect(try activations(recipe) == whole)
    }

    /// Unset, the loss is the framework's own (torchtitan's eager 12 bytes, 16 under loss
    /// parallelism; Megatron's 4), whatever the kernels.
    @Test func unchunkedLossIsTheFrameworks() {
        var recipe = TrainingRecipe(framework: .torchtitan)
        recipe.fusedKernels = true
        #expect(recipe.peakLossBytesPerLogit(tp: 1) == 12)
        #expect(recipe.peakLossBytesPerLogit(tp: 8) == 16)
        #expect(TrainingRecipe(framework: .megatronCore).peakLossBytesPerLogit(tp: 8) == 4)
        recipe.lossOutputChunks = 4
        #expect(recipe.peakLossBytesPerLogit(tp: 8) == 2 + 2.0 / 4)
    }

    /// Hugging Face's `ForCausalLMLoss` upcasts the whole logits (`logits.float()`) before
    /// `cross_entropy`: at the backward's start log_softmax's saved fp32 output (4), nll_loss's
    /// fp32 gradient (4) and log_softmax's input gradient (4), 12 bytes per logit, whatever the
    /// framework; a chunked loss still takes precedence, its chunks then in fp32 (Lightning
    /// Fabric's output cast, LitGPT): eager, the fp32 chunks (4), every chunk's fp32 log-softmax
    /// (4) and the last chunk's reshaped copy (4 / 8), 8.5 bytes; compiled 4 + 4 / 8.
    @Test func anFP32LogitsLossHoldsTwelveBytesPerLogit() {
        var recipe = TrainingRecipe(framework: .fsdp)
        #expect(recipe.peakLossBytesPerLogit(tp: 1) == 4)
        recipe.fp32LogitsLoss = true
        #expect(recipe.peakLossBytesPerLogit(tp: 1) == 4 + 4 + 4)
        recipe.lossOutputChunks = 8
        #expect(recipe.peakLossBytesPerLogit(tp: 1) == 4 + 4 + 4.0 / 8)
        recipe.fusedKernels = true
        #expect(recipe.peakLossBytesPerLogit(tp: 1) == 4 + 4.0 / 8)
    }
}

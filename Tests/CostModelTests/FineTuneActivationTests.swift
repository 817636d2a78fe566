import CostModel
import Testing
import Workloads

/// The activation memory LoRA and QLoRA change (`FineTuneMemory`) on Llama 3.1 8B (32 layers,
/// h 4096, 32 heads of 128, 8 K/V heads, MLP 14,336: Dubey et al. 2024, Table 3), one GPU, one
/// 2,048-token micro-batch in bf16 (2 bytes), against hand counts of what autograd saves:
/// each adapter keeps its rank-r intermediate `x A` (Hu et al. 2021); a frozen linear layer with
/// no adapter keeps no input (PyTorch saves a matmul's input only to compute its weight's
/// gradient); QLoRA dequantises its largest matrix into one bf16 buffer (Dettmers et al. 2023).
@Suite struct FineTuneActivationTests {
    let model: TransformerModel
    let tokens = 2048.0, layers = 32.0

    init() throws { model = try ModelCatalog.preset(named: "llama-3.1-8b") }

    func bytes(_ method: FinetuneMethod, _ targets: [LoRATarget], recompute: Recompute = .none) -> Double {
        var recipe = TrainingRecipe(recompute: recompute)
        recipe.fineTuning = FineTuning(method: method, rank: 8, targets: targets)
        return FineTuneMemory.activationBytes(stage: 0, geometry: LayerGeometry(model: model), model: model,
                                              layout: ParallelLayout(microBatch: 1, globalBatch: 1, seq: 2048),
                                              recipe: recipe)
    }

    /// LoRA on q and v: two rank-8 intermediates (2 x 8 x 2 bytes a token) are added; the inputs
    /// of the untargeted output projection (32 x 128 = 4,096 wide), of the MLP's gate and up
    /// projections (their shared input, 4,096) and of the down projection (14,336) are no longer
    /// kept: 2 x (4,096 + 4,096 + 14,336) bytes a token. The q/v input is kept (their adapters
    /// read it).
    @Test func frozenProjectionsWithoutAdaptersKeepNoInput() {
        let perToken = 2.0 * 8 * 2 - 2 * (4096 + 4096 + 14336)
        #expect(perToken == -45_024)
        #expect(bytes(.lora, [.q, .v]) == tokens * layers * perToken)
    }

    /// PEFT's prepare_model_for_kbit_training upcasts what stays unquantised to fp32, under full
    /// recomputation (the HF QLoRA setting):
    /// - the fp32 embedding puts the residual stream in fp32 (the fp32 norms keep it there,
    ///   bitsandbytes' Linear4bit returns its input's dtype): each of the 32 checkpointed layer
    ///   inputs is 2,048 x 4,096 x 4 bytes, 1,073,741,824 bytes in all, twice the bf16 count;
    /// - the loss's final-norm and output-layer inputs are fp32 too (2 x 2,048 x 4,096 x 2 bytes
    ///   more), and autocast runs the fp32 output layer on a bf16 copy of its 128,256 x 4,096
    ///   weight, made per call (autocast caches casts of weights that require grad only) and
    ///   saved for the input gradient: 1,050,673,152 bytes.
    @Test func kbitPreparationKeepsFP32ActivationsAndABF16OutputLayerCopy() {
        func parts(_ upcast: Bool?) -> ActivationParts {
            var recipe = TrainingRecipe(recompute: .full)
            recipe.fineTuning = FineTuning(method: .qlora, rank: 8, targets: [.q, .v])
            recipe.fp32UnquantizedWeights = upcast
            return MemoryModel.activationParts(stage: 0, geometry: LayerGeometry(model: model), model: model,
                                               layout: ParallelLayout(microBatch: 1, globalBatch: 1, seq: 2048), recipe: recipe)
        }
        let upcast = parts(true), bf16 = parts(nil)
        #expect(upcast.keptPerMicroBatch == 32 * 2048 * 4096 * 4)
        #expect(bf16.keptPerMicroBatch == 32 * 2048 * 4096 * 2)
        #expect(upcast.loss - bf16.loss == 2 * 2048 * 4096 * 2 + 1_050_673_152)
    }

    /// LoRA on all seven linears keeps every base input and adds seven intermediates.
    @Test func everyTargetAddsItsIntermediate() {
        #expect(bytes(.lora, LoRATarget.allLinear) == tokens * layers * 7 * 8 * 2)
    }

    /// Under full recomputation nothing per layer is kept; QLoRA still needs the bf16 buffer its
    /// largest matrix is dequantised into, the 4,096 x 14,336 MLP matrix: 117,440,512 bytes.
    @Test func qloraDequantisesIntoOneBufferOfTheLargestMatrix() {
        #expect(bytes(.lora, [.q, .v], recompute: .full) == 0)
        #expect(bytes(.qlora, [.q, .v], recompute: .full) == 4096 * 14336 * 2)
    }
}

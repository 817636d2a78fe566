import CostModel
import Hardware
import Testing
import Workloads

/// The end of a forward with the previous micro-batch's graph held (`HeldPreviousGraph`,
/// LitGPT's `fit` loop), against hand counts on TinyLlama 1.1B (22 layers, hidden 2,048, 32
/// heads of 64, 4 KV heads, MLP 5,632, vocabulary 32,000) at LitGPT's QLoRA config: micro-batch
/// 8 x 512 = 4,096 tokens, every linear layer adapted, 4 chunks of 128 positions cast to fp32.
@Suite struct HeldPreviousGraphTests {
    let model: TransformerModel
    let g: LayerGeometry
    let layout = ParallelLayout(microBatch: 8, globalBatch: 16, seq: 512)

    init() throws {
        model = try ModelCatalog.preset(named: "tinyllama-1.1b")
        g = LayerGeometry(model: model)
    }

    func recipe(_ method: FinetuneMethod, held: Bool?) -> TrainingRecipe {
        var recipe = TrainingRecipe(framework: .fsdp, precision: .bf16)
        recipe.masterWeights = false
        recipe.fineTuning = FineTuning(method: method, rank: 32, alpha: 16, targets: LoRATarget.allLinear, dropout: 0.05)
        recipe.lossOutputChunks = 4
        recipe.fp32LogitsLoss = true
        if method == .qlora {
            recipe.quantisedLinearsKeepInputs = true
            recipe.quantisedOutputLayer = true
            recipe.dequantisationCast = true
            recipe.nf4DoubleQuantisation = false
        }
        recipe.previousGraphHeld = held
        return recipe
    }

    func forwardEnd(_ recipe: TrainingRecipe) -> Double {
        HeldPreviousGraph.forwardEndBytes(stage: 0, geometry: g, model: model, layout: layout, recipe: recipe)
    }

    /// 4,096 x 32,000 = 131,072,000 logits. QLoRA: the new chunks in bf16 with their fp32 copies,
    /// 6 x 131,072,000 = 786,432,000 (above the last chunk's GEMM with the head's fp16 + bf16
    /// dequantisation, 2 x 131,072,000 + 32,000 x 2,048 x 4 = 524,288,000); the previous fp32
    /// logits, 524,288,000; the previous 4-bit inputs, 2 x (2,048 + 2,048 + 2,048 + 5,632) =
    /// 23,552 bytes a token and layer x 4,096 x 22 = 2,122,317,824, and the head's, 4,096 x 2 x
    /// 2,048 = 16,777,216: 3,449,815,040 in all. LoRA holds the logits only, 1,310,720,000.
    @Test func forwardEndHandCount() {
        #expect(forwardEnd(recipe(.qlora, held: true)) == 3_449_815_040)
        #expect(forwardEnd(recipe(.lora, held: true)) == 1_310_720_000)
        #expect(forwardEnd(recipe(.qlora, held: nil)) == 0)
    }

    /// The loss phase holds 4 + 4 + 4/4 = 9 bytes a logit (`ChunkedLossMemory`, fp32 chunks) and
    /// the head's dequantisation, 1,179,648,000 + 262,144,000 = 1,441,792,000 beside the norm's
    /// and head's inputs; the held forward's end is 3,449,815,040 - 1,441,792,000 =
    /// 2,008,023,040 bytes above it, which the activations gain. For LoRA the loss phase (9 x
    /// 131,072,000 = 1,179,648,000) is below the forward's end by 131,072,000.
    @Test func peakGain() throws {
        let cluster = try TopologyCatalog.load("a10g")
        func activations(_ recipe: TrainingRecipe) -> Double {
            MemoryModel.stage(0, geometry: g, model: model, cluster: cluster, layout: layout, recipe: recipe).activations
        }
        #expect(activations(recipe(.qlora, held: true)) - activations(recipe(.qlora, held: nil)) == 2_008_023_040)
        #expect(activations(recipe(.lora, held: true)) - activations(recipe(.lora, held: nil)) == 131_072_000)
    }

    /// Phi-2's attention and MLP read one LayerNorm's output: one input for the Q/K/V and fc
    /// projections, 2,560 + 2,560 (dense) + 10,240 (fc2) = 15,360 elements a token and layer;
    /// Llama's separate norms give TinyLlama 2,048 x 3 + 5,632 = 11,776.
    @Test func sharedBlockInput() throws {
        let phi = LayerGeometry(model: try ModelCatalog.preset(named: "phi-2"))
        #expect(phi.sharedBlockInput && !g.sharedBlockInput)
        #expect(HeldPreviousGraph.quantisedInputWidthPerLayer(geometry: phi, layout: layout) == 15_360)
        #expect(HeldPreviousGraph.quantisedInputWidthPerLayer(geometry: g, layout: layout) == 11_776)
    }
}

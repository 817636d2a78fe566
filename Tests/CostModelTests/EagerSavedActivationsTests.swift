import CostModel
import Hardware
import Testing
import Workloads

/// What eager PyTorch saves beyond the fused kernels (`EagerSavedActivations`), counted by hand on
/// Llama 3.2 3B (h 3,072, MLP width 8,192, 28 layers, 24 query and 8 key/value heads of 128: its
/// Hugging Face config) from the saved tensors of `LlamaRMSNorm`, `down(silu(gate(x)) * up(x))`
/// and SDPA over `repeat_kv`'s copies.
@Suite struct EagerSavedActivationsTests {
    let model: TransformerModel
    let geometry: LayerGeometry
    init() throws {
        model = try ModelCatalog.preset(named: "llama-3.2-3b")
        geometry = LayerGeometry(model: model)
    }

    func recipe(precision: Precision = .bf16, compiled: Bool? = nil, method: FineTuning? = nil,
                framework: Framework = .fsdp) -> TrainingRecipe {
        var recipe = TrainingRecipe(framework: framework, precision: precision)
        recipe.fusedKernels = compiled
        if let method { recipe.fineTuning = method }
        return recipe
    }

    /// bf16, weights trained: each of the two norms keeps its fp32 upcast (4 x 3,072) where the
    /// fused kernel keeps the bf16 input (2 x 3,072), and the normalised bf16 input that `* weight`
    /// saves (2 x 3,072): 2 x (2 + 2) x 3,072 = 24,576 bytes a token. The MLP product keeps
    /// silu's bf16 output: 2 x 8,192 = 16,384.
    @Test func fullFineTuningInBF16() {
        #expect(geometry.hidden == 3072 && geometry.ffn == 8192)
        let recipe = recipe()
        #expect(EagerSavedActivations.normBytesPerToken(geometry: geometry, recipe: recipe) == 24_576)
        #expect(EagerSavedActivations.gatedActivationBytesPerToken(geometry: geometry, width: 8192, recipe: recipe) == 16_384)
    }

    /// A frozen norm (LoRA) saves no normalised copy: 2 x 2 x 3,072 = 12,288. In fp32 the upcast
    /// is the input itself; a trained scale still saves the normalised input: 2 x 4 x 3,072.
    @Test func frozenScalesAndFP32() {
        let lora = recipe(method: FineTuning(method: .lora, rank: 8, alpha: 16, targets: [.q, .v]))
        #expect(EagerSavedActivations.normBytesPerToken(geometry: geometry, recipe: lora) == 12_288)
        #expect(EagerSavedActivations.normBytesPerToken(geometry: geometry, recipe: recipe(precision: .fp32)) == 24_576)
    }

    /// Compiled, or under Megatron's fused kernels, nothing more is saved.
    @Test func fusedKernelsSaveNothingMore() {
        for recipe in [recipe(compiled: true), recipe(framework: .megatronCore)] {
            #expect(EagerSavedActivations.normBytesPerToken(geometry: geometry, recipe: recipe) == 0)
            #expect(EagerSavedActivations.gatedActivationBytesPerToken(geometry: geometry, width: 8192, recipe: recipe) == 0)
        }
    }

    /// K and V repeated to the 24 query heads for SDPA: 2 x (24 - 8) x 128 x 2 bytes = 8,192 a
    /// token beyond the 8 heads the projections give; none for multi-head attention (Llama 2 7B)
    /// or compiled.
    @Test func repeatedKeysAndValues() throws {
        #expect(EagerSavedActivations.repeatedKeyValueBytesPerToken(geometry: geometry, recipe: recipe()) == 8_192)
        #expect(EagerSavedActivations.repeatedKeyValueBytesPerToken(geometry: geometry, recipe: recipe(compiled: true)) == 0)
        let mha = LayerGeometry(model: try ModelCatalog.preset(named: "llama-2-7b"))
        #expect(EagerSavedActivations.repeatedKeyValueBytesPerToken(geometry: mha, recipe: recipe()) == 0)
    }

    /// LitGPT's fused `attn` output (Q, K, V views): on Llama 2 7B (multi-head, 32 heads of 128)
    /// V's view keeps the whole bf16 output, 2 x (4,096 + 4,096 + 4,096) bytes a token, beside
    /// RoPE's copies of Q and K: 2 x (4,096 + 4,096) = 16,384 more. Grouped-query Llama 3.2 3B
    /// copies V to every head (nothing more), as do separate projections and compiled models.
    @Test func fusedQKVOutputKeptThroughValueView() throws {
        let mha = LayerGeometry(model: try ModelCatalog.preset(named: "llama-2-7b"))
        var fused = recipe()
        fused.fusedQKVProjection = true
        #expect(EagerSavedActivations.fusedQKVOutputBytesPerToken(geometry: mha, recipe: fused) == 16_384)
        #expect(EagerSavedActivations.fusedQKVOutputBytesPerToken(geometry: geometry, recipe: fused) == 0)
        #expect(EagerSavedActivations.fusedQKVOutputBytesPerToken(geometry: mha, recipe: recipe()) == 0)
        fused.fusedKernels = true
        #expect(EagerSavedActivations.fusedQKVOutputBytesPerToken(geometry: mha, recipe: fused) == 0)
    }

    /// Without checkpointing every layer keeps them: 28 layers x 2 x 4,096 tokens x (24,576 +
    /// 16,384 + 8,192) bytes = 11,274,289,152 bytes more kept activations than compiled.
    @Test func everyLayerKeepsThemWithoutCheckpointing() {
        let layout = ParallelLayout(microBatch: 2, globalBatch: 2, seq: 4096)
        func kept(_ recipe: TrainingRecipe) -> Double {
            let parts = MemoryModel.activationParts(stage: 0, geometry: geometry, model: model, layout: layout, recipe: recipe)
            return parts.inFlight * parts.keptPerMicroBatch
        }
        #expect(kept(recipe()) - kept(recipe(compiled: true)) == 28 * 2 * 4096 * (24_576 + 16_384 + 8_192))
    }

    /// LayerNorm is one native kernel in eager mode, and GPT-2's MLP is not gated.
    @Test func layerNormAndPlainMLPsKeepTheFusedCount() throws {
        let gpt2 = LayerGeometry(model: try ModelCatalog.preset(named: "gpt2"))
        #expect(EagerSavedActivations.normBytesPerToken(geometry: gpt2, recipe: recipe()) == 0)
        #expect(EagerSavedActivations.gatedActivationBytesPerToken(geometry: gpt2, width: gpt2.ffn, recipe: recipe()) == 0)
    }
}

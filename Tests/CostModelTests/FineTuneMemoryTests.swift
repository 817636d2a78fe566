import CostModel
import Testing
import Workloads

/// Model-state memory of LoRA and QLoRA on Llama 3.1 8B (one GPU), against a hand count from the
/// published architecture (Dubey et al. 2024, Table 3: 32 layers, h 4096, 32 heads of 128, 8 KV
/// heads, MLP 14,336, vocabulary 128,256, untied output layer) and the storage rules of Hu et al.
/// 2021 (LoRA) and Dettmers et al. 2023 (QLoRA).
@Suite struct FineTuneMemoryTests {
    // Per layer: Q and O 4096 x 4096, K and V 4096 x 1024, gate/up/down 4096 x 14336.
    static let attention: Double = 2 * 4096 * 4096 + 2 * 4096 * 1024
    static let mlp: Double = 3 * 4096 * 14336
    static let layerMatrices: Double = attention + mlp   // 218,103,808
    // Two RMSNorms per layer, the final norm; embedding and output layer 128,256 x 4096 each.
    static let vectors: Double = 32 * 2 * 4096 + 4096
    static let tables: Double = 2 * 128_256 * 4096
    // LoRA rank 8 on q and v: 8 x (4096 + 4096) + 8 x (4096 + 1024) = 106,496 per layer.
    static let adapters: Double = 32 * (8 * 8192 + 8 * 5120)

    func states(_ method: FinetuneMethod, fp32Unquantized: Bool? = nil) throws -> MemoryBreakdown {
        let model = try ModelCatalog.preset(named: "llama-3.1-8b")
        var recipe = TrainingRecipe()   // megatron-core, bf16 mixed precision, Adam
        recipe.fineTuning = FineTuning(method: method, rank: 8, targets: [.q, .v])
        recipe.fp32UnquantizedWeights = fp32Unquantized
        let layout = ParallelLayout(microBatch: 1, globalBatch: 1, seq: 2048)
        return ParameterAccounting(stage: 0, geometry: LayerGeometry(model: model), model: model, layout: layout,
                                   recipe: recipe).memory
    }

    /// LoRA: every base weight frozen in bf16 (2 bytes, no gradient, no optimizer state); the
    /// adapters trained with Megatron's mixed-precision accounting: 2-byte weight, 4-byte main
    /// gradient, fp32 master and two fp32 moments (12): 18 bytes each.
    @Test func loraKeepsTheBaseAt16BitsAndTrainsOnlyTheAdapters() throws {
        let m = try states(.lora)
        let base: Double = 32 * Self.layerMatrices + Self.vectors + Self.tables
        #expect(m.weights == 2 * (base + Self.adapters))
        #expect(m.gradients == 4 * Self.adapters)
        #expect(m.optimizer == 12 * Self.adapters)
    }

    /// QLoRA: the layer matrices in NF4 with double quantisation, (4 + 8/64 + 32/(64 x 256)) / 8 =
    /// 0.515869140625 bytes per weight; norms, embedding and output layer stay bf16.
    @Test func qloraStoresTheLayerMatricesInNF4() throws {
        let m = try states(.qlora)
        let constants: Double = 8.0 / 64 + 32.0 / (64 * 256)
        let nf4: Double = (4 + constants) / 8
        #expect(nf4 == 0.515869140625)
        let quantised: Double = 32 * Self.layerMatrices * nf4
        let expected: Double = quantised + 2 * (Self.vectors + Self.tables) + 2 * Self.adapters
        #expect(abs(m.weights / expected - 1) < 1e-12, "\(m.weights) vs \(expected)")
        #expect(m.gradients == 4 * Self.adapters)
        #expect(m.optimizer == 12 * Self.adapters)
    }

    /// QLoRA through PEFT's prepare_model_for_kbit_training: what bitsandbytes leaves unquantised
    /// (the 65,792 norm weights and the two 128,256 x 4096 tables) is cast to fp32, 4 bytes each
    /// (2,101,878,784 bytes more than in bf16); the NF4 matrices and the adapters are unchanged.
    /// A LoRA model has nothing quantised and keeps its bf16 weights.
    @Test func peftsKbitPreparationUpcastsWhatStaysUnquantised() throws {
        let m = try states(.qlora, fp32Unquantized: true)
        let nf4: Double = (4 + 8.0 / 64 + 32.0 / (64 * 256)) / 8
        let expected: Double = 32 * Self.layerMatrices * nf4 + 4 * (Self.vectors + Self.tables) + 2 * Self.adapters
        #expect(abs(m.weights / expected - 1) < 1e-12, "\(m.weights) vs \(expected)")
        #expect(m.weights - (try states(.qlora)).weights == 2_101_878_784)
        #expect(try states(.lora, fp32Unquantized: true).weights == (try states(.lora)).weights)
    }

    /// The same model fully trained in pure bf16 with a paged 8-bit Adam fused into the backward
    /// (torchtune's single-GPU full fine-tune): 2-byte weights only on the GPU; the 2 x 1-byte
    /// moments in host memory; no gradient buffer but the largest tensor's, the 128,256 x 4096
    /// embedding's 2-byte gradient.
    @Test func pureBF16WithPagedOptimizerInBackward() throws {
        let model = try ModelCatalog.preset(named: "llama-3.1-8b")
        var recipe = TrainingRecipe(framework: .fsdp, optimizer: .pagedAdam8bit)
        recipe.masterWeights = false
        recipe.optimizerInBackward = true
        let layout = ParallelLayout(microBatch: 1, globalBatch: 1, seq: 2048)
        let accounting = ParameterAccounting(stage: 0, geometry: LayerGeometry(model: model), model: model,
                                             layout: layout, recipe: recipe)
        let all: Double = 32 * Self.layerMatrices + Self.vectors + Self.tables
        #expect(accounting.memory.weights == 2 * all)
        #expect(accounting.memory.optimizer == 0)
        let embeddingGradient: Double = 2 * 128_256 * 4096
        #expect(accounting.memory.gradients == embeddingGradient)
        #expect(accounting.host.bytes == 2 * all)
    }

    /// `--finetune freeze` freezes the embedding class: the 128,256 x 4,096 token table and the
    /// untied output layer keep their bf16 weights but no 4-byte main gradient and no 12 bytes of
    /// fp32 master and moments; every layer parameter trains as in a full fine-tune.
    @Test func freezeKeepsTheEmbeddingsOutOfTheOptimizer() throws {
        let full = try states(.full), frozen = try states(.freeze)
        #expect(frozen.weights == full.weights)
        #expect(full.gradients - frozen.gradients == 4 * Self.tables)
        #expect(full.optimizer - frozen.optimizer == 12 * Self.tables)
    }
}

import CostModel
import Hardware
import Testing
import Workloads

/// NF4 storage without double quantisation, the cast copy of a dequantised weight and a
/// quantised output layer (`NF4Storage`, `NF4Dequantisation`), against hand counts.
@Suite struct NF4DequantisationTests {
    /// bitsandbytes' `compress_statistics=False`: one fp32 absmax per 64 weights, 4 + 32/64 = 4.5
    /// bits; with double quantisation 4 + 8/64 + 32/(64 x 256) = 4.126953125 bits.
    @Test func storageBits() {
        #expect(NF4Storage.bitsPerWeight(doubleQuantised: false) == 4.5)
        #expect(NF4Storage.bitsPerWeight(doubleQuantised: true) == 4.126953125)
        var recipe = TrainingRecipe()
        #expect(NF4Storage.bytesPerWeight(recipe: recipe) == 4.126953125 / 8)
        recipe.nf4DoubleQuantisation = false
        #expect(NF4Storage.bytesPerWeight(recipe: recipe) == 0.5625)
    }

    /// A bf16 model quantised from fp16 holds the fp16 dequantisation and its bf16 cast at once:
    /// 2 + 2 bytes an element; HBM traffic 0.5625 (4.5-bit codes) + 2 (write) + 2 x 2 (cast) = 6.5625.
    @Test func castCopy() {
        var recipe = TrainingRecipe(precision: .bf16)
        #expect(NF4Dequantisation.bufferBytesPerElement(recipe: recipe) == 2)
        recipe.dequantisationCast = true
        recipe.nf4DoubleQuantisation = false
        #expect(NF4Dequantisation.bufferBytesPerElement(recipe: recipe) == 4)
        #expect(NF4Dequantisation.trafficBytesPerElement(recipe: recipe) == 6.5625)
    }

    func qlora(outputLayer: Bool?) -> TrainingRecipe {
        var recipe = TrainingRecipe(framework: .fsdp, precision: .bf16)
        recipe.masterWeights = false
        recipe.fineTuning = FineTuning(method: .qlora, rank: 8, targets: [.q, .v])
        recipe.quantisedOutputLayer = outputLayer
        recipe.dequantisationCast = true
        recipe.nf4DoubleQuantisation = false
        return recipe
    }

    /// Llama 3.1 8B's output layer, 128,256 x 4,096 = 525,336,576 weights: in NF4 at 4.5 bits it
    /// keeps 295,501,824 bytes instead of 1,050,673,152, and while its GEMM runs the loss phase
    /// holds its fp16 dequantisation and bf16 cast, 2,101,346,304 bytes. A tied table (Llama 3.2
    /// 1B) stays 16-bit.
    /// Llama 3.1 8B on one A10G, one 512-token micro-batch: the first (only) stage's memory and
    /// its activation parts under `recipe`.
    struct Llama8B {
        let model: TransformerModel
        let g: LayerGeometry
        let layout = ParallelLayout(microBatch: 1, globalBatch: 1, seq: 512)
        let cluster: ClusterTopology
        init() throws {
            model = try ModelCatalog.preset(named: "llama-3.1-8b")
            g = LayerGeometry(model: model)
            cluster = try TopologyCatalog.load("a10g")
        }
        func memory(_ recipe: TrainingRecipe) -> MemoryBreakdown {
            MemoryModel.stage(0, geometry: g, model: model, cluster: cluster, layout: layout, recipe: recipe)
        }
        func loss(_ recipe: TrainingRecipe) -> Double {
            MemoryModel.activationParts(stage: 0, geometry: g, model: model, layout: layout, recipe: recipe).loss
        }
    }

    @Test func quantisedOutputLayer() throws {
        let llama = try Llama8B()
        func states(_ recipe: TrainingRecipe) -> Double { llama.memory(recipe).weights }
        func loss(_ recipe: TrainingRecipe) -> Double { llama.loss(recipe) }
        #expect(states(qlora(outputLayer: nil)) - states(qlora(outputLayer: true)) == 1_050_673_152 - 295_501_824)
        #expect(loss(qlora(outputLayer: true)) - loss(qlora(outputLayer: nil)) == 2_101_346_304)
        let tied = try ModelCatalog.preset(named: "llama-3.2-1b")
        #expect(tied.tiedEmbeddings)
        #expect(NF4Dequantisation.outputLayerBufferBytes(geometry: LayerGeometry(model: tied), tp: 1,
                                                         recipe: qlora(outputLayer: true)) == 0)
    }

    /// LitGPT's StableEmbedding swap (since ae798aba): Llama 3.1 8B's 128,256 x 4,096 table keeps
    /// a bf16 gradient no optimizer steps, 1,050,673,152 bytes on the first stage; a full
    /// fine-tune's trainable embedding already counts its own.
    @Test func strayEmbeddingGradient() throws {
        let llama = try Llama8B()
        func gradients(_ recipe: TrainingRecipe) -> Double { llama.memory(recipe).gradients }
        var stray = qlora(outputLayer: true)
        stray.strayEmbeddingGradient = true
        #expect(gradients(stray) - gradients(qlora(outputLayer: true)) == 1_050_673_152)
        var full = TrainingRecipe(framework: .fsdp, precision: .bf16)
        full.masterWeights = false
        var fullStray = full
        fullStray.strayEmbeddingGradient = true
        #expect(gradients(fullStray) == gradients(full))
    }

    /// Its dequantisations, one per output-layer call (4 chunks of 128 of a 512-token sequence)
    /// in each pass, move 4 x 525,336,576 x 6.5625 bytes forward and again backward.
    @Test func outputLayerTime() throws {
        let model = try ModelCatalog.preset(named: "llama-3.1-8b")
        let cluster = try TopologyCatalog.load("a10g")
        var recipe = qlora(outputLayer: true)
        recipe.lossOutputChunks = 4
        let seconds = NF4Dequantisation.outputLayerSeconds(geometry: LayerGeometry(model: model), tp: 1, recipe: recipe,
                                                           accelerator: cluster.accelerator)
        let expected = MatmulTime.memoryBoundSeconds(bytes: 4 * 525_336_576 * 6.5625, accelerator: cluster.accelerator)
        #expect(abs(seconds - expected) <= 1e-12 * expected)
        #expect(seconds > 0)
        #expect(NF4Dequantisation.outputLayerSeconds(geometry: LayerGeometry(model: model), tp: 1,
                                                     recipe: qlora(outputLayer: nil), accelerator: cluster.accelerator) == 0)
    }
}

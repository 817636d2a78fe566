import Testing
@testable import CostModel
import Hardware
import Workloads

/// The memory mechanisms of the PyTorch-native frameworks (torchtitan, FSDP), each against a
/// byte count written out here from the framework's code (torchtitan `parallelize_llama.py` and
/// `train.py` at 9dec370, the commit of its December 2024 H100 benchmarks) and Llama 3.1's
/// published shapes (h 4096 / 8192, 32 / 64 heads, 8 K/V heads of 128, SwiGLU 14336 / 28672,
/// vocabulary 128256).
@Suite struct PyTorchNativeMemoryTests {
    let titan = TrainingRecipe(framework: .torchtitan, recompute: .selective)

    func llama8B() throws -> (TransformerModel, LayerGeometry) {
        let model = try ModelCatalog.preset(named: "llama-3.1-8b")
        return (model, LayerGeometry(model: model))
    }

    /// torchtitan's op-level selective checkpointing saves the odd `mm`s of wq, wk, wv, wo, w1,
    /// w3, w2 (Q 4096, V 1024, w1 14336, w2 4096 elements), the SDPA output (4096) and its fp32
    /// log-sum-exp (4 bytes x 32 heads), and the block input the checkpoint keeps (4096).
    @Test func opSelectiveCheckpointKeepsEveryOtherMatmul() throws {
        let (_, g) = try llama8B()
        let layout = ParallelLayout(seq: 8192)
        let kept = SelectiveOpCheckpoint.keptBytesPerTokenPerLayer(geometry: g, moe: false, layout: layout,
                                                                   recipe: titan.resolved)
        let elements: Double = 4096 + 4096 + 1024 + 4096 + 14336 + 4096
        #expect(kept == 2 * elements + 4 * 32)
        // Recomputed: K (1024 of the 6144-wide QKV projection), the output projection, the up
        // projection (half of the gated input projection), all elementwise work; not the core.
        let again = SelectiveOpCheckpoint.recomputed(geometry: g)
        #expect(again == .init(qkv: 1024.0 / 6144.0, attentionCore: false, outProj: true, mlpIn: 0.5, elementwise: .layerForward))
    }

    /// With TP 8 and sequence parallelism (Llama 3.1 70B): the block input 8192/8, Q 1024, V one
    /// K/V head of 128, the SDPA output 1024, w1 28672/8 = 3584, w2's full-width partial sum
    /// 8192, and the two reduce-scatter outputs 2 x 1024; log-sum-exp 4 bytes x 8 heads.
    @Test func opSelectiveCheckpointUnderTensorParallelism() throws {
        let g = LayerGeometry(model: try ModelCatalog.preset(named: "llama-3.1-70b"))
        var layout = ParallelLayout(tp: 8, seq: 8192)
        layout.sequenceParallel = true
        let kept = SelectiveOpCheckpoint.keptBytesPerTokenPerLayer(geometry: g, moe: false, layout: layout,
                                                                   recipe: titan.resolved)
        let elements: Double = 1024 + 1024 + 128 + 1024 + 3584 + 8192 + 2 * 1024
        #expect(kept == 2 * elements + 4 * 8)
    }

    /// "selective" means Megatron's attention-core recomputation elsewhere, torchtitan's by-op
    /// policy in torchtitan; a JAX remat policy takes precedence.
    @Test func selectiveMeansTheFrameworksPolicy() {
        #expect(titan.usesSelectiveOpCheckpoint)
        #expect(!TrainingRecipe(framework: .megatronCore, recompute: .selective).usesSelectiveOpCheckpoint)
        #expect(!TrainingRecipe(framework: .torchtitan, recompute: .full).usesSelectiveOpCheckpoint)
        #expect(!TrainingRecipe(framework: .maxtext, recompute: .selective).usesSelectiveOpCheckpoint)
    }

    /// torchtitan's eager loss (`cross_entropy(pred.flatten(0, 1).float(), labels)`, then `del
    /// pred`): the forward holds bf16 logits 2 + fp32 copy 4 + log_softmax 4 = 10 bytes per
    /// logit, the backward's start the saved log_softmax 4 + nll_loss's gradient 4 + the
    /// log_softmax gradient 4 = 12: the peak. Megatron's fused vocab-parallel loss keeps 4.
    @Test func eagerLossPeaksAtTheBackwardsStart() {
        #expect(FrameworkProfile.torchtitan.lossPeakBytesPerLogit == max(2 + 4 + 4, 4 + 4 + 4))
        #expect(FrameworkProfile.megatronCore.lossPeakBytesPerLogit == 4)
    }

    /// FSDP mixed precision keeps the fp32 parameters and casts 16-bit copies per gather:
    /// 4 (weights) + 4 (gradients) + 8 (Adam) = 16 bytes per parameter, against Megatron's 18
    /// (2 + 4 + 4 master + 8). Llama 3.1 8B (8,030,261,248 parameters) over 8 shards.
    @Test func fsdpKeepsSixteenBytesPerParameter() throws {
        let (model, g) = try llama8B()
        var layout = ParallelLayout(dp: 8, seq: 8192)
        layout.zero = 3
        let fsdp = ParameterAccounting(stage: 0, geometry: g, model: model, layout: layout, recipe: titan).memory
        let megatron = ParameterAccounting(stage: 0, geometry: g, model: model, layout: layout,
                                           recipe: TrainingRecipe(framework: .megatronCore)).memory
        let perShard = 8_030_261_248.0 / 8
        #expect(abs(fsdp.weights - 4 * perShard) < 1)
        #expect(abs(fsdp.gradients - 4 * perShard) < 1)
        #expect(abs(fsdp.optimizer - 8 * perShard) < 1)
        #expect(abs(megatron.weights + megatron.gradients + megatron.optimizer - 18 * perShard) < 1)
    }

    /// What FSDP holds gathered at the backward's start, Llama 3.1 8B on 8 GPUs: the root unit
    /// (token embedding and output layer, 2 x 128256 x 4096 = 1,050,673,152 parameters; the final
    /// norm's 4096 are counted with the dense ones) in bf16, two blocks of 218,112,000 parameters (attention 2 x 4096^2 +
    /// 2 x 4096 x 1024, MLP 3 x 4096 x 14336, two norms 2 x 4096) in bf16, the output layer's
    /// bf16 gradient (525,336,576) and one block's gradient in torchtitan's fp32 reduce dtype.
    @Test func fsdpUnitsGatheredAtTheBackwardsStart() throws {
        let (model, g) = try llama8B()
        var layout = ParallelLayout(dp: 8, seq: 8192)
        layout.zero = 3
        let params = ModelStateMemory.parameters(stage: 0, geometry: g, model: model, layout: layout, recipe: titan)
        let accounting = ParameterAccounting(params, layout: layout, recipe: titan)
        let units = FSDPUnitMemory.bytes(params: params, accounting: accounting, layout: layout, recipe: titan)
        let attention: Double = 2 * 4096 * 4096 + 2 * 4096 * 1024
        let mlp: Double = 3 * 4096 * 14336
        let block: Double = attention + mlp + 2 * 4096
        #expect(block == 218_112_000)
        let root: Double = 1_050_673_152
        let outputLayer: Double = 525_336_576
        #expect(units.weights == 2 * (root + 2 * block))
        #expect(units.gradients == 2 * outputLayer + 4 * block)
        // Megatron's distributed optimizer gathers no units.
        var megatron = TrainingRecipe(framework: .megatronCore)
        megatron.recompute = .selective
        let none = FSDPUnitMemory.bytes(params: params, accounting: ParameterAccounting(params, layout: layout, recipe: megatron),
                                        layout: layout, recipe: megatron)
        #expect(none.weights == 0 && none.gradients == 0)
    }

    /// DTensor TP saves the all-gathered inputs of the attention and MLP blocks (2 x 2h bytes per
    /// token) where Megatron saves the sequence-split copy (2 x 2h / t) and re-gathers it in the
    /// backward: 4h (1 - 1/t) more bytes per token and layer, at h 8192, t 8: 28,672 (both
    /// compiled, so that eager PyTorch's own saved tensors, `EagerSavedActivations`, stay out).
    @Test func dtensorKeepsGatheredLinearInputs() throws {
        let g = LayerGeometry(model: try ModelCatalog.preset(named: "llama-3.1-70b"))
        var layout = ParallelLayout(tp: 8, seq: 8192)
        layout.sequenceParallel = true
        func perToken(_ framework: Framework) -> Double {
            var recipe = TrainingRecipe(framework: framework).resolved
            recipe.fusedKernels = true
            return ActivationMemory.bytesPerTokenPerLayer(geometry: g, moe: false, layout: layout, recipe: recipe, keyLength: 8192)
        }
        let expected: Double = 4 * 8192 * (1 - 1.0 / 8)
        let difference = perToken(.torchtitan) - perToken(.megatronCore)
        #expect(difference == expected)
    }
}

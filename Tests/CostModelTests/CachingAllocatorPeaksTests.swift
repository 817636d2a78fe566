import Testing
@testable import CostModel
import Hardware
import Workloads

/// PyTorch's two peaks (`CachingAllocatorPeaks`): the reserved peak (`MemoryBreakdown.total`)
/// holds the last layer's recomputation and the loss both; the allocated peak
/// (`MemoryBreakdown.allocated`) only the larger, since the output layer's backward frees the
/// loss's tensors before the last layer is recomputed. Byte counts per token from Korthikanti et
/// al. 2022 (eq. 1: a GPT layer's activations 34h + 5as, with flash attention 34h + 4a, the fp32
/// softmax statistics), the final-norm and output-layer inputs 2h + 2h and the cross entropy's
/// fp32 softmax 4V, for the 4-layer GPT of `MechanismMemoryTests` (h 4096, a 32, s 2048, V 51200).
@Suite struct CachingAllocatorPeaksTests {
    let gpt = megatronGPT(layers: 4, hidden: 4096, heads: 32)
    let h = 4096.0, a = 32.0, s = 2048.0, vocab = 51200.0

    func memory(_ recipe: TrainingRecipe, layout: ParallelLayout = ParallelLayout(seq: 2048), stage: Int = 0) -> MemoryBreakdown {
        MemoryModel.stage(stage, geometry: LayerGeometry(model: gpt), model: gpt, cluster: dgxA100(), layout: layout,
                          recipe: recipe.resolved)
    }

    /// Eager attention: the live layer (34h + 5as = 466,944 bytes a token) outweighs the loss
    /// (4h + 4V = 221,184), so the allocated peak drops the loss: 2048 x 221,184 = 452,984,832.
    @Test func allocatedPeakDropsTheLossBelowALargerLiveLayer() {
        let live = 34 * h + 5 * a * s
        let loss = 4 * h + 4 * vocab
        #expect(live == 466_944 && loss == 221_184)
        let m = memory(TrainingRecipe(framework: .megatronLM, recompute: .full))
        #expect(m.reservedOnly == 452_984_832)
        #expect(m.allocated == m.total - m.other - 452_984_832)
        // The reserved activations still hold both: 4 kept inputs 2h, the live layer, the
        // embedding mask h and the loss.
        #expect(m.activations == s * (4 * 2 * h + live + h + loss))
    }

    /// Flash attention: the live layer (34h + 4a = 139,392 bytes a token) is below the loss, so the
    /// allocated peak holds the loss and not the live layer: 2048 x 139,392 = 285,474,816 less.
    @Test func allocatedPeakDropsTheLiveLayerBelowALargerLoss() {
        let live = 34 * h + 4 * a
        #expect(live == 139_392)
        let m = memory(TrainingRecipe(framework: .megatronCore, recompute: .full))
        #expect(m.reservedOnly == 285_474_816)
        #expect(m.allocated == m.total - m.other - 285_474_816)
    }

    /// Without recomputation nothing is live beside the kept layers, and a stage without the loss
    /// (the first of two pipeline stages) has nothing to drop: both peaks hold the same tensors.
    @Test func nothingToDropWithoutBothParts() {
        let none = memory(TrainingRecipe(framework: .megatronLM))
        #expect(none.reservedOnly == 0)
        #expect(none.allocated == none.total - none.other)
        let layout = ParallelLayout(pp: 2, microBatch: 1, globalBatch: 2, seq: 2048)
        let first = memory(TrainingRecipe(framework: .megatronLM, recompute: .full), layout: layout, stage: 0)
        #expect(first.reservedOnly == 0)
        let last = memory(TrainingRecipe(framework: .megatronLM, recompute: .full), layout: layout, stage: 1)
        #expect(last.reservedOnly == 452_984_832)
    }

    /// QLoRA's dequantisation buffer (the largest NF4 matrix of a layer in bf16, Llama 3.1 8B's MLP
    /// 4096 x 14336 x 2 bytes = 117,440,512) is live with the recomputed layer, not with the loss
    /// (the output layer is not quantised): on torchtune's 8B recipe (batch 2 x 2048, chunked
    /// loss, full recomputation), whose loss outweighs the layer, the allocated peak drops the
    /// buffer with the layer, 117,440,512 bytes more than under LoRA on the same linears.
    @Test func qloraDequantisationBufferIsLiveWithTheLayer() throws {
        let model = try ModelCatalog.preset(named: "llama-3.1-8b")
        func reservedOnly(_ method: FinetuneMethod) throws -> Double {
            var recipe = TrainingRecipe(framework: .fsdp, recompute: .full)
            recipe.masterWeights = false
            recipe.lossOutputChunks = 8
            recipe.fineTuning = FineTuning(method: method, rank: 8, alpha: 16, targets: LoRATarget.allLinear)
            let layout = ParallelLayout(microBatch: 2, globalBatch: 2, seq: 2048)
            return MemoryModel.stage(0, geometry: LayerGeometry(model: model), model: model, cluster: try TopologyCatalog.load("rtx-4090"),
                                     layout: layout, recipe: recipe.resolved).reservedOnly
        }
        #expect(4096 * 14336 * 2 == 117_440_512)
        #expect(try reservedOnly(.qlora) - reservedOnly(.lora) == 117_440_512)
    }

    /// The planner decides fit on the reserved figure, which the allocated one never exceeds.
    @Test func fitIsDecidedOnTheReservedPeak() throws {
        let recipe = TrainingRecipe(framework: .megatronLM, recompute: .full)
        let layout = ParallelLayout(seq: 2048)
        let estimate = Estimator(model: gpt, cluster: dgxA100()).estimate(layout, recipe: recipe)
        #expect(estimate.memory.allocated == estimate.memory.total - estimate.memory.other - 452_984_832)
        #expect(estimate.fits == (estimate.memory.total <= estimate.memory.capacity))
    }

    /// FSDP2 with CPU offload (torchtune's 70B_full: `fsdp_cpu_offload: True`, pure bf16, 8 GPUs)
    /// holds two units' unsharded bf16 gradients on the GPU: the unit being differentiated and the
    /// previous unit's reduce-scatter input (`comm_ctx.reduce_scatter_state`). Its largest unit is
    /// the embedding table (torchtune's `custom_sharded_layers: ['tok_embeddings', 'output']`),
    /// 128,256 x 8,192 = 1,050,673,152 parameters: 2 x 1,050,673,152 x 2 bytes = 4,202,692,608,
    /// everything else of the gradients in host memory. The weights: that unit gathered and the
    /// next one prefetched, the same 4,202,692,608.
    @Test func fsdpOffloadHoldsTwoUnitsGradients() throws {
        let model = try ModelCatalog.preset(named: "llama-3.1-70b")
        var recipe = TrainingRecipe(framework: .fsdp, recompute: .full)
        recipe.masterWeights = false
        recipe.offload = .all
        recipe.lossOutputChunks = 8
        let layout = ParallelLayout(dp: 8, zero: 3, microBatch: 2, globalBatch: 16, seq: 2048)
        let m = MemoryModel.stage(0, geometry: LayerGeometry(model: model), model: model, cluster: try TopologyCatalog.load("dgx-a100-80gb"),
                                  layout: layout, recipe: recipe.resolved)
        #expect(128_256 * 8_192 == 1_050_673_152)
        #expect(m.gradients == 4_202_692_608)
        #expect(m.weights == 4_202_692_608)
        #expect(m.optimizer == 0)
    }

    /// Under FSDP with pipeline stages kept gathered (torchtitan's 405B 3D layout, 1F1B), the last
    /// rank's peak backward holds the loss (16 bytes a local logit: 32,768 tokens x 16 x 128,256 / 8
    /// = 8,405,385,216 bytes, beyond the live layer), so its allocated peak is the residency walk's
    /// without the live layer.
    @Test func pipelineResidencyAllocatedPeakDropsTheSmallerPart() throws {
        let model = try ModelCatalog.preset(named: "llama-3.1-405b")
        let g = LayerGeometry(model: model)
        let titan = TrainingRecipe(framework: .torchtitan, precision: .fp8, recompute: .full).resolved
        let layout = ParallelLayout(tp: 8, pp: 8, dp: 8, zero: 3, sequenceParallel: true, microBatch: 4, globalBatch: 256, seq: 8192)
        let parts = MemoryModel.activationParts(stage: 7, geometry: g, model: model, layout: layout, recipe: titan)
        #expect(parts.loss > 8_405_385_216)
        #expect(parts.live < 8_405_385_216)
        let m = MemoryModel.stage(7, geometry: g, model: model, cluster: try TopologyCatalog.load("dgx-h100"), layout: layout, recipe: titan)
        #expect(m.reservedOnly == parts.live)
    }
}

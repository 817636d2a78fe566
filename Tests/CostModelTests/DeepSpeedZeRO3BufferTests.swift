import CostModel
import Hardware
import Testing
import Workloads

/// DeepSpeed ZeRO-3's GPU buffers (`DeepSpeedZeRO3Buffers`), against hand counts from DeepSpeed
/// v0.8.1's defaults and PEFT's README log.
@Suite struct DeepSpeedZeRO3BufferTests {
    /// The contiguous gradient bucket is `reduce_bucket_size` = 5e8 elements in the parameters'
    /// dtype: 2e9 bytes in fp32 = 1,907.3 MiB, the bulk of the 1,916 MiB PEFT's README logs as
    /// allocated before its T0-3B ZeRO-3 offload run's first step; 1e9 bytes in bf16. None
    /// without trainable parameters, below stage 3, or outside DeepSpeed.
    @Test func gradientBucketIsReduceBucketSizeInTheWeightDtype() {
        let fp32 = DeepSpeedZeRO3Buffers.gradientBucketBytes(framework: .deepspeed, zero: 3, anyTrainable: true, weightBytes: 4)
        #expect(fp32 == 2e9)
        #expect(abs(fp32 / 1_048_576 - 1907.35) < 0.01)
        #expect(DeepSpeedZeRO3Buffers.gradientBucketBytes(framework: .deepspeed, zero: 3, anyTrainable: true, weightBytes: 2) == 1e9)
        #expect(DeepSpeedZeRO3Buffers.gradientBucketBytes(framework: .deepspeed, zero: 2, anyTrainable: true, weightBytes: 2) == 0)
        #expect(DeepSpeedZeRO3Buffers.gradientBucketBytes(framework: .fsdp, zero: 3, anyTrainable: true, weightBytes: 2) == 0)
        #expect(DeepSpeedZeRO3Buffers.gradientBucketBytes(framework: .deepspeed, zero: 3, anyTrainable: false, weightBytes: 2) == 0)
    }

    /// BLOOM-7B1 LoRA (r 8 on q, k, v) under ZeRO-3 offload of parameters and optimizer on one
    /// GPU, fp32: the GPU holds `stage3_max_live_parameters` = 1e9 gathered parameters overshot by
    /// the largest one, the 250,880 x 4,096 word embedding (1,027,604,480), plus that embedding's
    /// staging copy, all at 4 bytes: (1e9 + 2 x 1,027,604,480) x 4 = 12.22e9 bytes, the 3.01e9
    /// parameters a replay of DeepSpeed's coordinator peaks at; and the 2e9-byte gradient
    /// bucket; nothing else of the model states (the adapters' gradients and optimizer live in
    /// host memory).
    @Test func offloadedLoRAKeepsLiveParametersStagingAndBucket() throws {
        let model = try ModelCatalog.preset(named: "bloom-7b1")
        var recipe = TrainingRecipe(framework: .deepspeed, precision: .fp32, recompute: .none, flashAttention: false)
        recipe.fineTuning = FineTuning(method: .lora, rank: 8, alpha: 32, targets: [.q, .k, .v])
        recipe.offload = .all
        let layout = ParallelLayout(zero: 3, microBatch: 8, globalBatch: 8, seq: 64)
        let memory = MemoryModel.stage(0, geometry: LayerGeometry(model: model), model: model,
                                       cluster: try TopologyCatalog.load("a100-80gb-pcie"), layout: layout, recipe: recipe)
        let embedding = 250_880.0 * 4_096
        #expect(memory.weights == 4e9 + 8 * embedding)
        #expect(memory.gradients == 2e9)
        #expect(memory.optimizer == 0)
    }
}

/// Weights ZeRO-3 / FSDP hold gathered beside their shards (`ZeRO3GatheredWeights`), by hand.
@Suite struct ZeRO3GatheredWeightTests {
    /// FSDP over 8 ranks: two units of 1e9 parameters in bf16, less the eighth each rank already
    /// holds: 2 x 1e9 x 2 x 7/8 = 3.5e9 bytes. DeepSpeed: min(P, 1e9 + largest tensor)
    /// parameters, so a 70e9 stage whose largest tensor is 0.25e9 gathers 1.25e9 x 2 x 7/8 =
    /// 2.1875e9 bytes and a 0.5e9 stage 0.875e9. One rank (nothing sharded), ZeRO-2,
    /// Megatron and torchtitan (counted by `FSDPUnitMemory`): nothing here.
    @Test func gatheredUnitsAndLiveParameters() {
        func bytes(_ framework: Framework, zero: Int = 3, parameters: Double = 70e9, shards: Double = 8) -> Double {
            ZeRO3GatheredWeights.bytes(framework: framework, zero: zero, stageParameters: parameters, largestUnit: 1e9,
                                       largestTensor: 0.25e9, weightBytes: 2, shards: shards)
        }
        #expect(bytes(.fsdp) == 3.5e9)
        // torchtitan's units, its root unit included, are FSDPUnitMemory's.
        #expect(bytes(.torchtitan) == 0)
        #expect(bytes(.deepspeed) == 2.1875e9)
        #expect(bytes(.deepspeed, parameters: 0.5e9) == 0.875e9)
        #expect(bytes(.fsdp, shards: 1) == 0)
        #expect(bytes(.fsdp, zero: 2) == 0)
        #expect(bytes(.megatronCore) == 0)
    }

    /// Llama 3.1 70B LoRA (torchtune's 70B_lora: r 16 on q, k, v) in pure bf16 under FSDP over 8
    /// GPUs: each GPU keeps an eighth of the 70,553,706,496 frozen bf16 weights and of the
    /// adapters, and gathers two of the largest unit, the 128,256 x 8,192 embedding table
    /// (1,050,673,152 parameters), less its own eighth.
    @Test func fsdpLoRAWeightsAreShardsPlusTwoUnits() throws {
        let model = try ModelCatalog.preset(named: "llama-3.1-70b")
        var recipe = TrainingRecipe(framework: .fsdp, recompute: .full)
        recipe.masterWeights = false
        recipe.fineTuning = FineTuning(method: .lora, rank: 16, alpha: 32, targets: [.q, .k, .v])
        let layout = ParallelLayout(dp: 8, zero: 3, microBatch: 2, globalBatch: 16, seq: 2048)
        let memory = MemoryModel.stage(0, geometry: LayerGeometry(model: model), model: model,
                                       cluster: try TopologyCatalog.load("dgx-a100-80gb"), layout: layout, recipe: recipe)
        // Adapters per layer: r (h + q) + r (h + kv) + r (h + kv) = 16 x (3 x 8,192 + 8,192 + 2 x 1,024).
        let adapterWidths: Double = 3 * 8_192 + 8_192 + 2 * 1_024
        let adapters: Double = 80 * 16 * adapterWidths
        let base: Double = 70_553_706_496
        let unit: Double = 128_256 * 8_192
        let shards: Double = (base + adapters) * 2 / 8
        let gathered: Double = 2 * unit * 2 * 7 / 8
        let expected = shards + gathered
        #expect(abs(memory.weights / expected - 1) < 1e-12, "\(memory.weights) vs \(expected)")
    }
}

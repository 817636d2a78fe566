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
    /// GPU, fp32: the GPU holds at most `stage3_max_live_parameters` = 1e9 gathered parameters
    /// (4e9 bytes) plus the staging copy of the largest one in flight, the 250,880 x 4,096 word
    /// embedding (1,027,604,480 x 4 bytes), and the 2e9-byte gradient bucket; nothing else of the
    /// model states (the adapters' gradients and optimizer live in host memory).
    @Test func offloadedLoRAKeepsLiveParametersStagingAndBucket() throws {
        let model = try ModelCatalog.preset(named: "bloom-7b1")
        var recipe = TrainingRecipe(framework: .deepspeed, precision: .fp32, recompute: .none, flashAttention: false)
        recipe.fineTuning = FineTuning(method: .lora, rank: 8, alpha: 32, targets: [.q, .k, .v])
        recipe.offload = .all
        let layout = ParallelLayout(zero: 3, microBatch: 8, globalBatch: 8, seq: 64)
        let memory = ParameterAccounting(stage: 0, geometry: LayerGeometry(model: model), model: model,
                                         layout: layout, recipe: recipe).memory
        let embedding = 250_880.0 * 4_096
        #expect(memory.weights == 4e9 + 4 * embedding)
        #expect(memory.gradients == 2e9)
        #expect(memory.optimizer == 0)
    }
}

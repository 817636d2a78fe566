import CostModel
import Hardware
import Testing
import Workloads

/// CPU offload: host memory and the per-step CPU optimizer and PCIe time, against hand counts.
@Suite struct OffloadTests {
    /// ZeRO-Offload of a 1,000,000,000-parameter update on one RTX 4090 host GPU: the CPU step
    /// moves 30 bytes per parameter at 100 GB/s (0.3 s) and the 2-byte updated weights cross the
    /// PCIe Gen4 x16 link at 32 GB/s (0.0625 s).
    @Test func optimizerStepOnTheCPU() throws {
        let cluster = try TopologyCatalog.load("rtx-4090")
        let seconds = OffloadTime.optimizerSeconds(updatedParameters: 1e9, ranksPerHost: 1, recipe: TrainingRecipe(),
                                                   cluster: cluster)
        #expect(abs(seconds - (0.3 + 0.0625)) < 1e-12)
        // Eight GPUs of one host share its memory bandwidth: 8 x 0.3 s of CPU work.
        let shared = OffloadTime.optimizerSeconds(updatedParameters: 1e9, ranksPerHost: 8, recipe: TrainingRecipe(),
                                                  cluster: cluster)
        #expect(abs(shared - (2.4 + 0.0625)) < 1e-12)
    }

    /// Llama 3.1 8B (8,030,261,248 parameters) fully trained with Adam in bf16 mixed precision and
    /// the optimizer offloaded: the GPU keeps the 2-byte weights only; the host keeps the fp32
    /// master (4), two fp32 moments (8) and the 2-byte gradient: 14 bytes per parameter.
    @Test func optimizerOffloadMovesStatesToTheHost() throws {
        let model = try ModelCatalog.preset(named: "llama-3.1-8b")
        var recipe = TrainingRecipe(framework: .deepspeed)
        recipe.offload = .optimizer
        let accounting = ParameterAccounting(stage: 0, geometry: LayerGeometry(model: model), model: model,
                                             layout: ParallelLayout(microBatch: 1, globalBatch: 1, seq: 2048), recipe: recipe)
        let parameters = 8_030_261_248.0
        #expect(accounting.memory.weights == 2 * parameters)
        #expect(accounting.memory.gradients == 0)
        #expect(accounting.memory.optimizer == 0)
        #expect(accounting.host.bytes == 14 * parameters)
    }

    /// Under `--offload all` each of the 8 FSDP ranks copies only its own shard from the host
    /// each pass: Llama 3.1 70B's 70,553,706,496 bf16 weights / 8 = 17.6 GB over the DGX A100's
    /// 32 GB/s PCIe link = 0.55 s, less than the forward of one 2 x 2,048-token micro-batch
    /// (2 x 70.6e9 x 4,096 = 5.8e14 FLOPs, 1.9 s even at the A100's full 312 TFLOP/s), so nothing is exposed and the
    /// data-parallel time equals that of the same layout with only the optimizer offloaded. (The
    /// whole stage, 141 GB, would take 4.4 s a pass and show.)
    @Test func parameterOffloadStreamsTheRanksShard() throws {
        let model = try ModelCatalog.preset(named: "llama-3.1-70b")
        let cluster = try TopologyCatalog.load("dgx-a100-80gb")
        let layout = ParallelLayout(dp: 8, zero: 3, microBatch: 2, globalBatch: 16, seq: 2048)
        var recipe = TrainingRecipe(framework: .fsdp, recompute: .full)
        recipe.masterWeights = false
        let shardSeconds = 70_553_706_496.0 * 2 / 8 / 32e9
        #expect(abs(shardSeconds - 0.551) < 0.001)
        recipe.offload = .optimizer
        let optimizerOnly = Estimator(model: model, cluster: cluster).estimate(layout, recipe: recipe)
        recipe.offload = .all
        let all = Estimator(model: model, cluster: cluster).estimate(layout, recipe: recipe)
        #expect(all.time.dpComm == optimizerOnly.time.dpComm)
    }

    /// `--offload all` streams the stage's 16-bit weights over the host link for every pass,
    /// prefetched behind that pass's compute. 64 GB over the RTX 4090 host's PCIe Gen4 x16
    /// (32 GB/s a direction) take 2 s a pass: behind a 0.5 s forward and a 1 s backward,
    /// 1.5 + 1 s stay exposed; a 3 s backward hides its copy; under full recomputation the
    /// forward streams twice, each copy behind half the forward compute: 2 x (2 - 0.25) + 1.
    @Test func weightStreamingExposesWhatThePassCannotHide() throws {
        let cluster = try TopologyCatalog.load("rtx-4090")
        func exposed(_ offload: OffloadKind, recompute: Recompute = .none, backward: Double = 1.0) -> Double {
            var recipe = TrainingRecipe(recompute: recompute)
            recipe.offload = offload
            return OffloadTime.exposedWeightStreaming(weightBytes: 64e9, recipe: recipe, cluster: cluster,
                                                      forward: 0.5, backward: backward)
        }
        #expect(abs(exposed(.all) - 2.5) < 1e-12)
        #expect(abs(exposed(.all, backward: 3.0) - 1.5) < 1e-12)
        #expect(abs(exposed(.all, recompute: .full) - 4.5) < 1e-12)
        #expect(exposed(.optimizer) == 0)
    }

    /// The CPU Adam step of pure bf16 training (no fp32 master, moments in bf16) moves, per
    /// parameter: read and write the 2-byte weight (4), read and write two 2-byte moments (8),
    /// read the 2-byte gradient (2): 14 bytes. Mixed precision: the fp32 master read and written
    /// (8), two fp32 moments (16), the gradient upcast to fp32 (4), the bf16 copy sent back (2): 30.
    @Test func cpuStepBytesPerParameter() {
        var pure = TrainingRecipe()
        pure.masterWeights = false
        #expect(OffloadTime.cpuStepBytesPerParameter(pure) == 14)
        #expect(OffloadTime.cpuStepBytesPerParameter(TrainingRecipe()) == 30)
    }

    /// A paged optimizer's states that do not fit the device memory PyTorch has not reserved all
    /// cross the host link every step (LRU eviction keeps none of a cyclic pass), both directions
    /// at once. 16 GiB of states beside a 20 GiB reserved peak on a 24 GiB RTX 4090: 16 GiB =
    /// 17,179,869,184 bytes at 32 GB/s = 0.53687 s; 3 GiB of states fit in the 4 GiB left and
    /// never move.
    @Test func pagedStatesThatDoNotFitMigrateEachStep() throws {
        let cluster = try TopologyCatalog.load("rtx-4090")
        var memory = MemoryBreakdown(weights: 20 * gibibyte)
        memory.pagedStates = 16 * gibibyte
        let seconds = OffloadTime.pagedStateMigrationSeconds(memory: memory, capacity: 24 * gibibyte, cluster: cluster)
        #expect(abs(seconds - 17_179_869_184.0 / 32e9) < 1e-12)
        memory.pagedStates = 3 * gibibyte
        #expect(OffloadTime.pagedStateMigrationSeconds(memory: memory, capacity: 24 * gibibyte, cluster: cluster) == 0)
    }

    /// torchtune's 8B_full_single_device on an RTX 4090 (pure bf16, PagedAdamW8bit fused into the
    /// backward): the paged step differs from the same step with unpaged 8-bit states by the
    /// migration alone: Llama 3.1 8B's 8,030,261,248 parameters x 2 state bytes = 16,060,522,496
    /// bytes, more than the 24 GiB the reserved peak leaves, all over 32 GB/s = 0.5019 s. The HBM
    /// part is the same 12 bytes a parameter for both (`OptimizerStepTraffic`).
    @Test func pagedEightBitAdamPaysItsMigrationOnTheStep() throws {
        let model = try ModelCatalog.preset(named: "llama-3.1-8b")
        let cluster = try TopologyCatalog.load("rtx-4090")
        let layout = ParallelLayout(microBatch: 2, globalBatch: 2, seq: 2048)
        var recipe = TrainingRecipe(framework: .fsdp, precision: .bf16, optimizer: .pagedAdam8bit, recompute: .full)
        recipe.masterWeights = false
        recipe.optimizerInBackward = true
        let paged = Estimator(model: model, cluster: cluster).estimate(layout, recipe: recipe)
        recipe.optimizer = .adam8bit
        let resident = Estimator(model: model, cluster: cluster).estimate(layout, recipe: recipe)
        #expect(24 * gibibyte - paged.memory.total < 16_060_522_496.0)
        let migration = 16_060_522_496.0 / 32e9
        #expect(abs(paged.time.optimizer - resident.time.optimizer - migration) < 1e-9)
    }

    /// bitsandbytes pages only the states of tensors of at least 1e5 elements. Llama 3.1 8B with
    /// rank-16 LoRA on every linear layer, per layer: q and o (4,096 x 16 and 16 x 4,096: 65,536
    /// each), k and v (65,536 and 16,384) stay on the GPU; gate's and up's B (14,336 x 16 =
    /// 229,376) and down's A (the same) are paged: 688,128 of 1,310,720 adapter parameters, so
    /// 622,592 / 1,310,720 = 0.475 of the adapters' states stay on the GPU, the rest are paged.
    @Test func smallAdapterMatricesKeepTheirStatesOnTheGPU() throws {
        let model = try ModelCatalog.preset(named: "llama-3.1-8b")
        let cluster = try TopologyCatalog.load("rtx-4090")
        let layout = ParallelLayout(microBatch: 1, globalBatch: 1, seq: 1024)
        var recipe = TrainingRecipe(framework: .fsdp, optimizer: .pagedAdam, recompute: .full)
        recipe.fineTuning = FineTuning(method: .qlora, rank: 16, targets: LoRATarget.allLinear)
        let paged = Estimator(model: model, cluster: cluster).estimate(layout, recipe: recipe)
        let stage = try #require(paged.memory.stages.first)
        let states = paged.memory.optimizer + stage.pagedStates
        #expect(states > 0)
        #expect(abs(paged.memory.optimizer / states - 622_592.0 / 1_310_720.0) < 1e-12)
        // Rank 64: every adapter matrix but k's and v's B (64 x 1,024 = 65,536 each) reaches 1e5
        // elements: 131,072 of 5,242,880 adapter parameters a layer stay on the GPU.
        recipe.fineTuning = FineTuning(method: .qlora, rank: 64, targets: LoRATarget.allLinear)
        let wide = Estimator(model: model, cluster: cluster).estimate(layout, recipe: recipe)
        let wideStage = try #require(wide.memory.stages.first)
        #expect(abs(wide.memory.optimizer / (wide.memory.optimizer + wideStage.pagedStates) - 131_072.0 / 5_242_880.0) < 1e-12)
    }
}

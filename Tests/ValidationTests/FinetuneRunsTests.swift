import CostModel
import Foundation
import Hardware
import Testing
import Validation

/// The issue-16 targets on `Validation/finetune-runs.json`: every case with a peak-memory number
/// within 10%, every "OOM" case predicted not to fit, tokens/s within 20% where reported. Each
/// case prints its errors; the cases outside a target today are recorded as known issues (they
/// appear in the test log, and the test starts failing if one of them comes inside the target
/// without this list being updated).
@Suite struct FinetuneRunsTests {
    static let report: FinetuneValidationReport = {
        let runs = (try? RunsFileReader.loadFinetuneRuns(path: validationFile("finetune-runs.json"))) ?? []
        return FinetuneValidation.validate(runs: runs) { try TopologyCatalog.load($0) }
    }()

    /// Outside the 10% memory target today: none. torchtune and PEFT print PyTorch's allocated
    /// peak, which the validation compares with `MemoryReport.allocated` (`CachingAllocatorPeaks`:
    /// the loss's tensors are freed by the output layer's backward before the last layer is
    /// recomputed, so the allocated peak holds the larger of the two, not both); torchtitan prints
    /// the reserved peak and keeps being compared with the reserved `total`.
    static let memoryOutside: Set<String> = []
    /// Outside the 20% tokens/s target today. The A6000 rows need more GEMM throughput than the
    /// card has been measured to deliver: LoRA without activation checkpointing runs the linear
    /// layers' forward and input-gradient GEMMs, 4 x 7.50e9 FLOPs a token (8.03e9 parameters less
    /// the 0.53e9 embedding table, which is a lookup), at 4,699 tokens/s = 141 TFLOP/s, and the
    /// highest bf16 GEMM rate published for an RTX A6000 is 131.2 TFLOP/s at its best shape
    /// (mag-/gpu_benchmark README @2218e0a3; 123.3 in zzc0721/torch-performance-test-data,
    /// `Topologies/rtx-a6000.yaml`); full fine-tuning, 6 x 7.50e9 at 2,579 tokens/s = 116 TFLOP/s,
    /// leaves 12% of that best-shape rate for attention, norms and the optimizer.
    /// No counting explains the 8B rows: the recipes at 0031bfb0 log
    /// `tokens_per_second_per_gpu = num_tokens / time_per_step` with `num_tokens +=
    /// batch["tokens"].numel()` (every token of the packed 2 x 2048 batch, all of them computed)
    /// and the step timed by `time.perf_counter()` from the previous log, after
    /// `running_loss.item()` has synchronised the GPU, so nothing of the step is left out.
    static let tokensOutside: Set<String> = [
        "torchtune-llama3.1-8b-full-a6000", "torchtune-llama3.1-8b-lora-a6000",
    ]

    /// The LoRA settings of torchtune's recipe configs at the README's commit 0031bfb0
    /// (`lora_attn_modules`, `apply_lora_to_mlp`, `lora_rank`, `lora_alpha`).
    @Test func torchtuneAdaptersFollowTheRecipeConfigs() throws {
        let runs = try RunsFileReader.loadFinetuneRuns(path: validationFile("finetune-runs.json"))
        let expected: [String: (rank: Int, targets: [LoRATarget])] = [
            "torchtune-llama3.1-8b-lora-4090": (8, [.q, .v]),  // 8B_lora_single_device
            "torchtune-llama3.1-8b-qlora-4090": (8, [.q, .k, .v, .o, .gate, .up, .down]),  // 8B_qlora_single_device
            "torchtune-llama3.1-70b-lora-8xa100": (16, [.q, .k, .v]),  // 70B_lora
            "torchtune-llama3.1-405b-qlora-8xa100": (16, [.q, .k, .v, .o, .gate, .up, .down]),  // 405B_qlora
        ]
        for (id, want) in expected {
            let run = try #require(runs.first { $0.id == id })
            let tuning = try RunMapping.inputs(for: run, cluster: TopologyCatalog.load).get().inputs.recipe.fineTuning
            #expect(tuning.rank == want.rank, "\(id)")
            #expect(tuning.alpha == Double(2 * want.rank), "\(id)")
            #expect(tuning.targets == want.targets, "\(id)")
        }
    }

    /// The 405B QLoRA row runs at its config's batch 1 (405B_qlora at 0031bfb0: `batch_size: 1`),
    /// not at the batch 2 the table's note gives every row: at batch 2 what must be resident
    /// exceeds the 41.7 GiB (44.8 GB) reported. Hand count, per GPU of 8:
    /// - checkpointed layer inputs: 126 layers x 2 x 2048 tokens x 16384 x 2 bytes = 15.75 GiB;
    /// - NF4 shards of the layers' linear weights: per layer q and o 16384^2 each, k and v
    ///   16384 x 1024 each, the MLP 3 x 16384 x 53248 = 3,187,671,040 weights, x 126 x 4.127
    ///   bits / 8 / 8 GPUs = 24.2 GiB; the bf16 embedding and output shards 2 x 128256 x 16384 x
    ///   2 / 8 bytes = 0.98 GiB;
    /// - the bf16 logits of the unchunked loss, 4096 x 128256 x 2 bytes = 0.98 GiB.
    /// That is 41.8 GiB before one layer is gathered (1.5 GiB more in NF4).
    @Test func llama405BQLoRARunsAtItsConfigBatch() throws {
        let gib = 1_073_741_824.0
        let checkpoints = 126.0 * 2 * 2048 * 16384 * 2 / gib
        let attentionWeights: Double = 2.0 * 16384 * 16384 + 2.0 * 16384 * 1024
        let mlpWeights: Double = 3.0 * 16384 * 53248
        let linearWeights: Double = attentionWeights + mlpWeights
        let nf4Shards = linearWeights * 126 * 4.127 / 8 / 8 / gib
        let embeddingShards = 2.0 * 128256 * 16384 * 2 / 8 / gib
        let logits = 4096.0 * 128256 * 2 / gib
        #expect(checkpoints + nf4Shards + embeddingShards + logits > 44.8e9 / gib)
        let runs = try RunsFileReader.loadFinetuneRuns(path: validationFile("finetune-runs.json"))
        let run = try #require(runs.first { $0.id == "torchtune-llama3.1-405b-qlora-8xa100" })
        #expect(run.batch == 2)
        let inputs = try RunMapping.inputs(for: run, cluster: TopologyCatalog.load).get().inputs
        #expect(inputs.layout.microBatch == 1)
        #expect(inputs.assumed.contains { $0.hasPrefix("batch 1 (U: 405B_qlora's batch_size: 1") })
        for other in runs where other.id != run.id && other.source.contains("torchtune") {
            #expect(try RunMapping.inputs(for: other, cluster: TopologyCatalog.load).get().inputs.layout.microBatch == 2)
        }
    }

    static func row(_ id: String) throws -> FinetuneValidationReport.Row {
        try #require(report.rows.first { $0.id == id })
    }

    /// The 8B QLoRA row on the 4090 (7.4 GiB reported, torchtune's `peak_memory_alloc`). Hand
    /// count of what is allocated together at the backward's start:
    /// - NF4 linear weights: per layer q and o 4096^2, k and v 4096 x 1024, the MLP 3 x 4096 x
    ///   14336 = 218,103,808 weights, x 32 layers x 4.127 bits / 8 = 3.35 GiB; the bf16
    ///   embedding and output layer 2 x 128256 x 4096 x 2 bytes = 1.96 GiB;
    /// - checkpointed layer inputs: 32 x 2 x 2048 tokens x 4096 x 2 bytes = 1.0 GiB;
    /// - the chunked loss's bf16 logits: 4096 x 128256 x 2 bytes = 0.98 GiB.
    /// That is 7.29 GiB, within 2% of the report. The allocated prediction holds that and the
    /// loss's fp32 chunk, the adapters and their states, but not the recomputed last layer and
    /// the dequantised NF4 matrix its GEMMs use (freed logits and recomputed layer do not overlap):
    /// the reserved figure is above it by those (about 0.67 GiB).
    @Test func llama8BQLoRAAllocatedPeakHoldsTheLossNotTheRecomputedLayer() throws {
        let gib = 1_073_741_824.0
        let linear: Double = 2.0 * 4096 * 4096 + 2.0 * 4096 * 1024 + 3.0 * 4096 * 14336
        #expect(linear == 218_103_808)
        let nf4 = linear * 32 * 4.127 / 8 / gib
        let embeddings = 2.0 * 128256 * 4096 * 2 / gib
        let checkpoints = 32.0 * 2 * 2048 * 4096 * 2 / gib
        let logits = 4096.0 * 128256 * 2 / gib
        let floor = nf4 + embeddings + checkpoints + logits
        #expect(abs(floor / 7.4 - 1) < 0.02)
        let row = try Self.row("torchtune-llama3.1-8b-qlora-4090")
        #expect(row.predictedPeakMemoryGib >= floor)
        #expect(row.predictedPeakMemoryGib <= 7.4 * 1.10)
        let run = try #require(try RunsFileReader.loadFinetuneRuns(path: validationFile("finetune-runs.json"))
            .first { $0.id == row.id })
        let i = try RunMapping.inputs(for: run, cluster: TopologyCatalog.load).get().inputs
        let memory = Estimator(model: i.model, cluster: i.cluster).estimate(i.layout, recipe: i.recipe).memory
        #expect((memory.total - memory.other - memory.allocated) / gib > 0.5)
    }

    /// The 70B full fine-tune with FSDP2 CPU offload (13.9 GiB reported per GPU, allocated). Hand
    /// count at the last layer's backward, per GPU:
    /// - checkpointed layer inputs: 80 x 2 x 2048 tokens x 8192 x 2 bytes = 5.0 GiB;
    /// - gathered units: the one differentiated and the one prefetched, at most two of the largest
    ///   (the embedding table, 128256 x 8192 = 1,050,673,152 parameters) in bf16: 3.91 GiB;
    /// - unsharded gradients: the unit's own and the previous unit's reduce-scatter input FSDP2
    ///   holds until the next post-backward (`comm_ctx.reduce_scatter_state`): 3.91 GiB;
    /// - the larger of the recomputed layer and the loss, at least the bf16 logits 4096 x 128256
    ///   x 2 bytes = 0.98 GiB.
    /// That is 13.8 GiB, within 1% of the report; with one unit's gradients (the model before the
    /// held reduce-scatter input) 11.8 GiB, 15% under it.
    @Test func llama70BFullOffloadHoldsTwoUnitsGradients() throws {
        let gib = 1_073_741_824.0
        let checkpoints = 80.0 * 2 * 2048 * 8192 * 2 / gib
        let unit = 128_256.0 * 8192 * 2 / gib
        let logits = 4096.0 * 128256 * 2 / gib
        let floor = checkpoints + 2 * unit + 2 * unit + logits
        #expect(abs(floor / 13.9 - 1) < 0.01)
        #expect((floor - unit) / 13.9 - 1 < -0.14)
        let row = try Self.row("torchtune-llama3.1-70b-full-8xa100")
        #expect(row.predictedPeakMemoryGib >= floor)
        #expect(abs(row.memoryError ?? 1) <= 0.10)
    }

    /// The loss of torchtune's recipe configs at 0031bfb0: `CEWithChunkedOutputLoss` (8 chunks by
    /// default) in every config of the table but 405B_qlora, whose `torch.nn.CrossEntropyLoss` is
    /// the framework's unchunked loss.
    @Test func torchtuneLossFollowsTheRecipeConfigs() throws {
        let runs = try RunsFileReader.loadFinetuneRuns(path: validationFile("finetune-runs.json"))
        let torchtune = runs.filter { $0.source.contains("torchtune") }
        #expect(torchtune.count == 8)
        for run in torchtune {
            let recipe = try RunMapping.inputs(for: run, cluster: TopologyCatalog.load).get().inputs.recipe
            let want: Int? = run.id == "torchtune-llama3.1-405b-qlora-8xa100" ? nil : 8
            #expect(recipe.lossOutputChunks == want, "\(run.id)")
        }
        for run in runs where !run.source.contains("torchtune") {
            #expect(try RunMapping.inputs(for: run, cluster: TopologyCatalog.load).get().inputs.recipe.lossOutputChunks == nil)
        }
    }

    /// PEFT's example scripts build `LoraConfig(..., r=8, lora_alpha=32, lora_dropout=0.1)` (as
    /// PEFT's README does): each adapter keeps its dropped input and mask (`FineTuneMemory`).
    @Test func peftRowsDropOutTheAdaptersInputs() throws {
        let runs = try RunsFileReader.loadFinetuneRuns(path: validationFile("finetune-runs.json"))
        let adapters = runs.filter { $0.source.lowercased().contains("peft") && $0.method != "full" }
        #expect(adapters.count == 6)
        for run in adapters {
            let tuning = try RunMapping.inputs(for: run, cluster: TopologyCatalog.load).get().inputs.recipe.fineTuning
            #expect(tuning.dropout == 0.1 && tuning.rank == 8 && tuning.alpha == 32, "\(run.id)")
        }
    }

    /// torchtune's table was measured with `compile: True` (each case's `torch_compile`): its rows
    /// run fused elementwise kernels; PEFT's accelerate scripts run eager PyTorch.
    @Test func torchCompileMeansFusedKernels() throws {
        let runs = try RunsFileReader.loadFinetuneRuns(path: validationFile("finetune-runs.json"))
        #expect(runs.filter { $0.torchCompile == true }.count == 8)
        for run in runs {
            let recipe = try RunMapping.inputs(for: run, cluster: TopologyCatalog.load).get().inputs.recipe
            #expect(recipe.effectiveFusedKernels == (run.torchCompile == true), "\(run.id)")
        }
    }

    /// What the mapping and the model reach today (`loom validate --runs
    /// Validation/finetune-runs.json`): memory mean 4.7%, max 8.0% (T0-3B LoRA under ZeRO-3
    /// offload; 4.3% and 6.6% before the PEFT rows' adapter dropout, `lora_dropout=0.1`, was kept);
    /// tokens/s mean 14.6%, max 38.5% (the 8B full row on the A6000, -38.3% the LoRA one: both
    /// 1.63x Loom's figure; 15.0% before the optimizer step's traffic followed the states' dtypes
    /// and paged states migrated, `OptimizerStepTraffic`, `OffloadTime.pagedStateMigrationSeconds`,
    /// which took the 4090 full row from +10.9% to -1.8% and the A6000 one from -32.7% to -38.5%;
    /// 16.0% and 41.0% with the
    /// square-sweep GEMM rates instead of the highest published, 16.4% and 42.9% before
    /// FlashAttention-2's A100 curve for Ampere and Ada parts, 18.1% and 39.5% before the
    /// workstation GPUs' measured GEMM rates, 16.6% and 35.5% before the short-sequence attention
    /// rate, `FlashAttentionKeyLength`); 15 of 15 memory cases and 6 of 8 tokens/s cases inside
    /// their targets.
    @Test func aggregatesReachedToday() {
        let report = Self.report
        #expect(report.memory.count == 15)
        #expect(report.memory.meanAbsError <= 0.048)
        #expect(report.memory.maxAbsError <= 0.081)
        #expect(report.tokens.count == 8)
        #expect(report.tokens.meanAbsError <= 0.147)
        #expect(report.tokens.maxAbsError <= 0.386)
        #expect(report.rows.filter { ($0.memoryError.map(abs) ?? 1) <= 0.10 }.count == 15)
        #expect(report.rows.filter { ($0.tokensError.map(abs) ?? 1) <= 0.20 }.count == 6)
    }

    @Test func everyCaseIsMapped() {
        #expect(Self.report.rows.count == 17, "refused: \(Self.report.refused)")
    }

    @Test func outOfMemoryCasesDoNotFit() {
        let marked = Self.report.rows.filter(\.reportedOutOfMemory)
        #expect(marked.count == 2)
        for row in marked {
            print("\(row.id): reported OOM, predicted \(String(format: "%.1f", row.predictedPeakMemoryGib)) GiB")
            #expect(!row.predictedFits, "\(row.id)")
        }
    }

    @Test func peakMemoryWithinTenPercent() {
        for row in Self.report.rows {
            guard let error = row.memoryError else { continue }
            print(String(format: "%@: memory %+.1f%%", row.id, 100 * error))
            if Self.memoryOutside.contains(row.id) {
                withKnownIssue { #expect(abs(error) <= 0.10, "\(row.id)") }
            } else {
                #expect(abs(error) <= 0.10, "\(row.id): \(error)")
            }
        }
    }

    @Test func tokensPerSecondWithinTwentyPercent() {
        for row in Self.report.rows {
            guard let error = row.tokensError else { continue }
            print(String(format: "%@: tokens/s %+.1f%%", row.id, 100 * error))
            if Self.tokensOutside.contains(row.id) {
                withKnownIssue { #expect(abs(error) <= 0.20, "\(row.id)") }
            } else {
                #expect(abs(error) <= 0.20, "\(row.id): \(error)")
            }
        }
    }
}

/// The NeMo 24.07 LoRA rows of published-runs-2.json: LoRA with the rank they state and NeMo's
/// default target (the fused QKV projection), listed as assumed; the base frozen, so only the
/// adapters' gradients are reduced over DP.
@Suite struct NeMoLoRAMappingTests {
    @Test func loraRowsMapToAdapters() throws {
        let runs = try RunsFileReader.loadRuns(path: validationFile("published-runs-2.json"))
        let lora = runs.filter { $0.id.hasPrefix("nemo2407-lora-") }
        #expect(lora.count == 3)
        for run in lora {
            let inputs = try RunMapping.inputs(for: run, cluster: TopologyCatalog.load).get()
            #expect(inputs.recipe.fineTuning.method == .lora)
            #expect(inputs.recipe.fineTuning.rank == 32)
            #expect(inputs.recipe.fineTuning.targets == [.q, .k, .v])
            #expect(inputs.assumed.contains { $0.hasPrefix("LoRA targets q,k,v") })
            let estimate = Estimator(model: inputs.model, cluster: inputs.cluster).estimate(inputs.layout, recipe: inputs.recipe)
            let reported = try #require(run.reportedTokensPerSecond)
            print(String(format: "%@: tokens/s %+.1f%%", run.id, 100 * (estimate.tokensPerS / reported - 1)))
        }
    }
}

/// The issue-16 target on the NeMo 24.07 SFT and LoRA rows of published-runs-2.json: tokens/s
/// within 10%. The rows state packing (`packed_document_tokens` 180: SQuAD samples attend within
/// themselves, THD attention), each ~180-token document two 128-row query blocks of the kernel
/// (`FlashAttentionKeyLength.shortKeyScale`), and the LoRA layers' frozen FP8 linears write no
/// transposed input (`LayerTime.weightGradientInputCopy`): the 7B SFT +10.0%, 13B SFT -3.8%, 7B
/// LoRA -8.0% and 13B LoRA -9.7% are inside. Outside it (known issues): the 70B SFT +11.5%, and
/// the 70B LoRA -10.3%, whose launcher config runs without sequence parallelism (`sft.yaml`), so
/// NeMo turns its TP overlap off and the TP all-reduces are exposed (-0.0% when Loom took
/// sequence parallelism and the overlap on). NeMo's packed 7B SFT runs no faster per GPU than its unpacked 7B pre-training at
/// the same layout (16,891 vs 16,934 tokens/s), and its LoRA/SFT ratio (1.47 measured) is above
/// Loom's (1.23).
@Suite struct NeMoFinetuneRowsTests {
    static let outside: Set<String> = [
        "nemo2407-sft-llama2-70b-16gpu", "nemo2407-lora-llama2-70b-8gpu",
    ]

    @Test func tokensPerSecondWithinTenPercent() throws {
        let runs = try RunsFileReader.loadRuns(path: validationFile("published-runs-2.json"))
            .filter { $0.id.hasPrefix("nemo2407-sft-") || $0.id.hasPrefix("nemo2407-lora-") }
        #expect(runs.count == 6)
        for run in runs {
            let inputs = try RunMapping.inputs(for: run, cluster: TopologyCatalog.load).get()
            let estimate = Estimator(model: inputs.model, cluster: inputs.cluster).estimate(inputs.layout, recipe: inputs.recipe)
            let error = estimate.tokensPerS / (try #require(run.reportedTokensPerSecond)) - 1
            print(String(format: "%@: tokens/s %+.1f%%", run.id, 100 * error))
            if Self.outside.contains(run.id) {
                withKnownIssue { #expect(abs(error) <= 0.10, "\(run.id)") }
            } else {
                #expect(abs(error) <= 0.10, "\(run.id): \(error)")
            }
        }
    }
}

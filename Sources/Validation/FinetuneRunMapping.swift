import CostModel
import Hardware
import Workloads

/// What the cost model needs to predict one fine-tuning measurement, and how the source measured
/// peak memory.
public struct FinetuneInputs: Sendable, Hashable {
    public var inputs: EvaluationInputs
    /// The source reports PyTorch's allocated peak (`torch.cuda.max_memory_allocated`: tensors
    /// only, without the CUDA context and the caching allocator's reserve), so the prediction
    /// compared is `MemoryReport.allocated` (`CachingAllocatorPeaks`), not the reserved `total`.
    public var allocatedPeak: Bool
}

/// The mapping of `Validation/finetune-runs.json` cases (torchtune's Llama 3.1 table, PEFT's
/// T0-3B / mT0-XXL / BLOOMZ-7B1 table) onto the cost model: part of `RunMapping`, the one mapping.
/// Every setting a source leaves unstated is taken from the recipe it names and listed in
/// `assumed`:
/// - torchtune (`recipes/configs/llama3_1/*` at the README's commit 0031bfb0): pure bf16
///   (`dtype: bf16`, no fp32 master copy); batch 2 x 2048 packed; FSDP (one GPU: no sharding);
///   full single-device (`8B_full_single_device`, both GPUs): `PagedAdamW8bit` with
///   `optimizer_in_bwd` (its paged states are outside PyTorch's allocator); LoRA: rank 8, alpha 16 on q and v
///   (`8B_lora_single_device`), QLoRA 8B rank 8 on q, k, v, output and the MLP
///   (`8B_qlora_single_device`), 70B LoRA rank 16, alpha 32 on q, k, v (`70B_lora`), 405B
///   QLoRA rank 16 on q, k, v, output and the MLP (`405B_qlora`, at its config's batch 1: the
///   table's batch 2 does not fit in the memory it reports); activation checkpointing on (`enable_activation_checkpointing:
///   True`) except the two A6000 rows (U: their reported memory exceeds the 4090's at the same
///   batch by the activations' size); 70B full: FSDP with `fsdp_cpu_offload: True`, fused AdamW;
///   the cases' `torch_compile` sets `TrainingRecipe.fusedKernels` (unstated: eager, the recipes'
///   `compile: False`); peak memory as torchtune logs it
///   (`peak_memory_alloc`); the loss chunked into 8 (`loss: CEWithChunkedOutputLoss`,
///   `TrainingRecipe.lossOutputChunks`) except 405B_qlora's `torch.nn.CrossEntropyLoss`;
///   tokens/s of the 8-GPU rows are the job's (U: per GPU they would
///   need 880 TFLOP/s per A100 for the 70B full fine-tune). What a torchtune case states wins
///   over these defaults: its `gradient_checkpointing`, its optimizer, its LoRA rank, alpha and
///   modules; Llama 3.2's LoRA configs (`llama3_2/3B_lora_single_device` @1814feb17) put rank
///   64, alpha 128 on q, v, output and the MLP.
/// - PEFT (`examples/conditional_generation/peft_lora_seq2seq_accelerate_ds_zero3_offload.py` and
///   `examples/causal_language_modeling/peft_lora_clm_accelerate_ds_zero3_offload.py`): fp32
///   (accelerate `mixed_precision: no`), AdamW, batch 8, input 128 tokens (T0, mT0; 64 for BLOOMZ),
///   targets of 3 tokens (the twitter_complaints labels), LoRA r = 8, alpha 32 on PEFT's default
///   modules (T5: q, v; BLOOM: the fused query_key_value, here q, k, v); no activation
///   checkpointing; the ZeRO-3 offload rows offload optimizer and parameters to CPU; eager
///   attention (T5's relative position bias has no fused kernel); peak memory as its
///   `TorchTracemalloc` prints it (`max_memory_allocated`).
/// - LitGPT (`FinetuneLitGPTSettings`): its config_hub recipes, bf16-true.
/// - any other source: the settings the case states, Hugging Face `Trainer` / PEFT defaults
///   for the rest (`statedSettings`); the model by its Hugging Face id, or a Llama 3-shaped model
///   of its stated size, and the GPU by name (`FinetuneRunResolution`), each assumption listed.
extension RunMapping {
    /// Presets by Hugging Face id.
    static let finetuneModels: [String: String] = [
        "meta-llama/Llama-3.1-8B": "llama-3.1-8b", "meta-llama/Llama-3.1-70B": "llama-3.1-70b",
        "meta-llama/Llama-3.1-405B": "llama-3.1-405b", "bigscience/T0_3B": "t0-3b",
        "bigscience/mt0-xxl": "mt5-xxl", "bigscience/bloomz-7b1": "bloom-7b1",
    ]

    public static func inputs(for run: FinetuneRun,
                              cluster: (String) throws -> ClusterTopology) -> Result<FinetuneInputs, RunRefusal> {
        var model: TransformerModel
        var assumed: [String] = []
        switch finetuneModel(run.model) {
        case let .success((resolved, note)):
            model = resolved
            if let note { assumed.append(note) }
        case let .failure(unknown):
            return .failure(RunRefusal(id: run.id, reasons: [unknown.reason]))
        }
        guard let (method, methodNote, tinyAdapter) = finetuneMethod(run.method) else {
            return .failure(RunRefusal(id: run.id, reasons: [
                "method '\(run.method)' is not one of full, lora, qlora, freeze (or a LoRA variant: dora, qdora, adalora, "
                    + "loha, lokr, vera, or a prompt/prefix/IA3 adapter)"]))
        }
        if let methodNote { assumed.append(methodNote) }
        guard run.gpus >= 1, run.gpus <= 1_000_000 else {
            return .failure(RunRefusal(id: run.id, reasons: ["gpus \(run.gpus) is not between 1 and 1000000"]))
        }
        guard let (clusterName, clusterNote) = finetuneCluster(gpu: run.gpu, gpus: run.gpus) else {
            return .failure(RunRefusal(id: run.id, reasons: ["GPU '\(run.gpu)' matches no topology (`loom clusters`)"]))
        }
        let topology: ClusterTopology
        do { topology = try cluster(clusterName) } catch {
            return .failure(RunRefusal(id: run.id, reasons: ["cluster '\(clusterName)': \(error)"]))
        }
        if let clusterNote { assumed.append(clusterNote) }
        let source = run.source.lowercased()
        let litgpt = source.contains("litgpt") || source.contains("lit-gpt")
        if litgpt && model.tiedEmbeddings {
            // LitGPT's `GPT` has its own `lm_head`; its checkpoint conversion copies a tied
            // table into it and `litgpt finetune` refuses `tie_embeddings`.
            model.tiedEmbeddings = false
            assumed.append("output layer untied from the input embedding (LitGPT's GPT keeps its own lm_head; finetune refuses tie_embeddings)")
        }
        var (recipe, layout, notes) = source.contains("torchtune")
            ? torchtuneSettings(run, method: method, model: model)
            : litgpt ? litgptSettings(run, method: method, model: model)
            : source.contains("huggingface/peft readme") ? peftSettings(run, method: method, model: model)
            : statedSettings(run, method: method, model: model, cluster: topology)
        assumed += notes
        if tinyAdapter { recipe.fineTuning = FineTuning(method: .lora, rank: 1, alpha: 1, targets: [.v]) }
        do {
            try LayoutValidation.check(layout, recipe: recipe, model: model, cluster: topology, gpus: run.gpus)
        } catch {
            return .failure(RunRefusal(id: run.id, reasons: ["\(error)"]))
        }
        let inputs = EvaluationInputs(model: model, layout: layout, recipe: recipe, cluster: topology, assumed: assumed)
        return .success(FinetuneInputs(inputs: inputs, allocatedPeak: true))
    }

    static func torchtuneSettings(_ run: FinetuneRun, method: FinetuneMethod,
                                  model: TransformerModel) -> (TrainingRecipe, ParallelLayout, [String]) {
        var notes = ["framework fsdp (torchtune)", "pure bf16 (dtype: bf16)"]
        var recipe = TrainingRecipe(framework: .fsdp, recompute: .full)
        recipe.masterWeights = false
        if let compiled = run.torchCompile {
            recipe.fusedKernels = compiled
            notes.append(compiled ? "torch.compile: fused elementwise kernels (torch_compile: true)" : "eager kernels (torch_compile: false)")
        } else {
            notes.append("eager kernels (torch_compile unstated; the recipes' default compile: False)")
        }

        // Every Llama 3.1 config of the table but 405B_qlora sets `loss: CEWithChunkedOutputLoss`
        // (its default num_output_chunks 8), which the recipes pass to
        // `model.set_num_output_chunks`; 405B_qlora keeps `torch.nn.CrossEntropyLoss` over the
        // model's whole fp32 logits (`self.output(h).float()`), the framework's loss.
        // Unchunked, the decoder returns `self.output(h).float()`: the loss runs over fp32 logits
        // (`fp32LogitsLoss`, set after the stated knobs below).
        if run.model.hf != "meta-llama/Llama-3.1-405B" {
            recipe.lossOutputChunks = 8
            if run.loss == nil { notes.append("chunked loss, 8 chunks (loss: CEWithChunkedOutputLoss)") }
        } else if run.loss == nil {
            notes.append("unchunked loss over fp32 logits (405B_qlora: loss: torch.nn.CrossEntropyLoss)")
        }
        let a6000 = run.gpu.contains("A6000")
        let statedOptimizer = statedOptimizer(run.optimizer)
        switch method {
        case .full where run.gpus == 1:
            // 8B_full_single_device (and llama3_2's 1B/3B_full_single_device) on either GPU:
            // bitsandbytes' PagedAdamW8bit keeps its states in CUDA unified memory
            // (cudaMallocManaged), outside PyTorch's allocator and its peak.
            recipe.optimizer = statedOptimizer ?? .pagedAdam8bit
            recipe.optimizerInBackward = true
            notes.append(statedOptimizer == nil
                ? "PagedAdamW8bit, optimizer_in_bwd (8B_full_single_device; paged states outside PyTorch's allocator)"
                : "\(recipe.optimizer.rawValue) as stated" + (run.optimizerInBwd == nil
                    ? ", optimizer_in_bwd kept (U: the single-device config's default)" : ""))
        case .full:
            recipe.offload = .all
            if let statedOptimizer { recipe.optimizer = statedOptimizer }
            notes.append("fsdp_cpu_offload (FSDP CPUOffload of parameters, gradients and optimizer) with fused AdamW (70B_full)")
            notes.append("FSDP2 holds the previous unit's reduce-scatter input until the next post-backward (U: torch release unstated)")
        case .lora, .qlora:
            // The recipes' `lora_attn_modules` / `apply_lora_to_mlp`: at 0031bfb0 8B_lora_single_device
            // q_proj, v_proj; 8B_qlora_single_device and 405B_qlora q, k, v, output_proj and the MLP;
            // 70B_lora q, k, v; rank 8 (8B) or 16 (70B, 405B), alpha twice the rank. Llama 3.2's
            // 1B/3B_lora and _qlora_single_device (@1814feb17): q_proj, v_proj, output_proj and the
            // MLP at rank 64, alpha 128. A case's stated rank, alpha and modules win.
            if let statedOptimizer { recipe.optimizer = statedOptimizer }
            let big = model.layers > 32
            let llama32 = run.model.hf.lowercased().contains("llama-3.2")
            let rank = max(run.lora?.rank ?? (llama32 ? 64 : big ? 16 : 8), 1)
            let alpha = run.lora?.alpha.map(Double.init) ?? Double(2 * rank)
            let stated = statedLoRATargets(run)
            let targets: [LoRATarget] = !stated.isEmpty ? stated
                : llama32 ? [.q, .v, .o, .gate, .up, .down]
                : method == .qlora ? LoRATarget.allLinear : big ? [.q, .k, .v] : [.q, .v]
            recipe.fineTuning = FineTuning(method: method, rank: rank, alpha: alpha, targets: targets,
                                           dropout: run.lora?.dropout)
            notes.append("LoRA rank \(rank), alpha \(Int(alpha)), targets \(targets.map(\.rawValue).joined(separator: ","))"
                         + (run.lora?.rank != nil && !stated.isEmpty ? " (stated)"
                            : llama32 ? " (llama3_2 recipe config at 1814feb17 where unstated)" : " (recipe config at 0031bfb0 where unstated)"))
        case .freeze:
            break
        }
        switch run.gradientCheckpointing {
        case true?:
            notes.append("activation checkpointing on (stated)")
        case false?:
            recipe.recompute = .none
            notes.append("activation checkpointing off (stated)")
        case nil where a6000:
            recipe.recompute = .none
            notes.append("activation checkpointing off (U: the A6000 rows' memory exceeds the 4090's at the same batch by the activations)")
        case nil:
            notes.append("activation checkpointing on (enable_activation_checkpointing: True)")
        }
        applyStatedKnobs(run, to: &recipe, notes: &notes)
        // The chunked loss's chunks stay in the model dtype; only the unchunked output is fp32.
        recipe.fp32LogitsLoss = recipe.lossOutputChunks == nil ? true : nil
        var batch = run.batch ?? 2
        if run.model.hf == "meta-llama/Llama-3.1-405B" && method == .qlora && batch > 1 {
            // The table's note says batch 2 for every row, but at batch 2 the 405B row's
            // checkpointed layer inputs (126 layers x 2 x 2048 tokens x 16384 x 2 bytes = 15.75 GiB)
            // and its NF4 shards (about 24.9 GiB a GPU) alone hold 40.6 GiB, and with the bf16
            // logits (0.98 GiB) and one gathered layer more than the 41.7 GiB reported; the
            // 405B_qlora config at 0031bfb0 says `batch_size: 1`.
            batch = 1
            notes.append("batch 1 (U: 405B_qlora's batch_size: 1; the table's batch 2 cannot fit in the memory it reports)")
        }
        let seq = run.seq ?? 2048
        let layout = ParallelLayout(dp: run.gpus, zero: run.gpus > 1 ? 3 : 0, microBatch: batch,
                                    globalBatch: batch * run.gpus, seq: seq)
        return (recipe, layout, notes)
    }

    static func peftSettings(_ run: FinetuneRun, method: FinetuneMethod,
                             model: TransformerModel) -> (TrainingRecipe, ParallelLayout, [String]) {
        var notes = ["framework deepspeed (accelerate)", "fp32 (mixed_precision: no)", "AdamW", "no activation checkpointing",
                     "eager attention (no fused kernel)"]
        var recipe = TrainingRecipe(framework: .deepspeed, precision: .fp32, recompute: .none, flashAttention: false)
        if method.usesAdapters {
            let rank = run.lora?.rank ?? 8
            let alpha = Double(run.lora?.alpha ?? 32)
            let targets: [LoRATarget] = model.isEncoderDecoder ? [.q, .v] : [.q, .k, .v]
            // The example scripts' `LoraConfig(..., r=8, lora_alpha=32, lora_dropout=0.1)`.
            let dropout = run.lora?.dropout ?? 0.1
            recipe.fineTuning = FineTuning(method: method, rank: rank, alpha: alpha, targets: targets, dropout: dropout)
            // BLOOM's Q/K/V is one `query_key_value` linear: PEFT puts one adapter on it.
            if !model.isEncoderDecoder { recipe.fusedQKVAdapter = true }
            notes.append("LoRA r \(rank), alpha \(Int(alpha)), dropout \(dropout), PEFT default targets \(targets.map(\.rawValue).joined(separator: ","))"
                         + (model.isEncoderDecoder ? "" : " (one adapter on the fused query_key_value)"))
        }
        if run.offload != nil {
            recipe.offload = .all
            notes.append("ZeRO-3 offload of optimizer and parameters")
        }
        let batch = run.batch ?? 8
        let seq = run.seq ?? (model.isEncoderDecoder ? 128 : 64)
        notes.append("batch \(batch), input \(seq) tokens\(model.isEncoderDecoder ? ", target 3 tokens" : "")")
        let layout = ParallelLayout(zero: run.offload != nil ? 3 : 0, microBatch: batch, globalBatch: batch, seq: seq,
                                    targetSeq: model.isEncoderDecoder ? 3 : nil)
        return (recipe, layout, notes)
    }
}

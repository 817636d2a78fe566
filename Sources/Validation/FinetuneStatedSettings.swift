import CostModel
import Hardware
import Workloads

/// The settings of a fine-tuning case from a source Loom has no recipe mapping for (neither
/// torchtune's table nor PEFT's README table): what the case states, read from its own words, and
/// for what it leaves unstated the defaults of Hugging Face's `Trainer` and PEFT, each listed as
/// assumed:
/// - precision: fp32, fp16 or bf16 as the case words it; unstated, bf16 mixed precision
///   (`Trainer(bf16=True)`, the usual fine-tuning setting; U). "pure" keeps no fp32 master copy;
/// - optimizer: AdamW (`Trainer`'s `adamw_torch`), 8-bit / paged from bitsandbytes, Adafactor or
///   SGD as worded;
/// - activation checkpointing: as stated; unstated, off (`gradient_checkpointing=False`);
/// - LoRA: the stated rank, alpha and target modules; unstated, PEFT's `LoraConfig` defaults
///   (r 8, alpha 8) on the attention's q and v projections (PEFT's default targets for Llama-,
///   Mistral-, Qwen- and T5-style models);
/// - offload: as worded (optimizer only, or parameters too);
/// - batch 1 and sequence 512 where unstated (U), data parallel over the case's GPUs with each
///   holding a replica (DDP) where replicas fit, else fully sharded (FSDP, ZeRO-3), and ZeRO-3
///   when it offloads parameters;
/// - PyTorch SDPA attention (fused; T5's relative position bias keeps the eager path);
/// - QLoRA: the unquantised parameters upcast to fp32 by PEFT's `prepare_model_for_kbit_training`
///   (`TrainingRecipe.fp32UnquantizedWeights`), unless the source is Unsloth;
/// - a causal LM's loss over logits upcast to fp32 whole (transformers' `ForCausalLMLoss`,
///   `TrainingRecipe.fp32LogitsLoss`), unless the source is Unsloth: its Triton kernels, Cut
///   Cross-Entropy and, unless gradient checkpointing is stated off, its offloaded checkpoints.
extension RunMapping {
    static func statedSettings(_ run: FinetuneRun, method: FinetuneMethod, model: TransformerModel,
                               cluster: ClusterTopology) -> (TrainingRecipe, ParallelLayout, [String]) {
        var notes: [String] = []
        let precisionWords = run.precision?.lowercased() ?? ""
        let precision: Precision
        if precisionWords.contains("fp32") || precisionWords.contains("float32") || precisionWords.contains("no mixed") {
            precision = .fp32
        } else if precisionWords.contains("fp16") || (precisionWords.contains("float16") && !precisionWords.contains("bfloat16")) {
            precision = .fp16
        } else if precisionWords.contains("bf16") || precisionWords.contains("bfloat16") {
            precision = cluster.accelerator.peakTFLOPS.bf16 > 0 ? .bf16 : .fp16
        } else {
            precision = cluster.accelerator.peakTFLOPS.bf16 > 0 ? .bf16 : .fp16
            notes.append("\(precision.rawValue) mixed precision (U: precision unstated)")
        }
        let encoderDecoder = model.isEncoderDecoder
        var recipe = TrainingRecipe(framework: .fsdp, precision: precision, flashAttention: !encoderDecoder)
        if encoderDecoder { notes.append("eager attention (T5's relative position bias has no fused kernel)") }
        if precisionWords.contains("pure") {
            recipe.masterWeights = false
            notes.append("pure \(precision.rawValue) (no fp32 master copy)")
        }

        let unsloth = run.source.lowercased().contains("unsloth")
        let optimizerWords = run.optimizer?.lowercased() ?? ""
        if let worded = statedOptimizer(run.optimizer), worded != .adam {
            recipe.optimizer = worded
        } else if run.optimizer == nil && unsloth {
            recipe.optimizer = .adam8bit
            notes.append("8-bit AdamW (U: optimizer unstated; the Unsloth notebooks' adamw_8bit)")
        } else if run.optimizer == nil {
            notes.append("AdamW (U: optimizer unstated; Trainer's adamw_torch)")
        }
        if recipe.optimizer == .adam && !optimizerWords.contains("fused") {
            // transformers' `adamw_torch` (its default before torch 2.8, `TrainingArguments.
            // default_optim`) is `torch.optim.AdamW` without `fused`: the foreach implementation,
            // one pass over the states per operation of the update (`OptimizerStepKernels.perOp`).
            recipe.optimizerStep = .perOp
            notes.append("foreach AdamW, one pass per operation (U: adamw_torch, not adamw_torch_fused)")
        }

        switch run.gradientCheckpointing {
        case true?: recipe.recompute = .full
        case false?: recipe.recompute = .none
        case nil:
            recipe.recompute = .none
            // Unsloth's own default is set below.
            if !unsloth { notes.append("no activation checkpointing (U: unstated; Trainer's gradient_checkpointing=False)") }
        }

        if method.usesAdapters {
            // Unstated: PEFT's `LoraConfig` defaults (r 8, lora_alpha 8, the model's default
            // targets, q and v for Llama-style models), or under Unsloth its README example's
            // `get_peft_model(r = 16, lora_alpha = 16, target_modules = [q, k, v, o, gate, up, down])`.
            let rank = max(run.lora?.rank ?? (unsloth ? 16 : 8), 1)
            let alpha = Double(run.lora?.alpha ?? (unsloth ? 16 : 8))
            let stated = statedLoRATargets(run)
            let targets = !stated.isEmpty ? stated : unsloth ? LoRATarget.allLinear : [LoRATarget.q, .v]
            recipe.fineTuning = FineTuning(method: method, rank: rank, alpha: alpha, targets: targets,
                                           dropout: run.lora?.dropout)
            if statesFusedQKV(run) {
                recipe.fusedQKVAdapter = true
                notes.append("one adapter on the fused Q/K/V projection (stated target_modules)")
            }
            let unstated = run.lora?.rank == nil || stated.isEmpty
            notes.append("LoRA rank \(rank), alpha \(Int(alpha)), targets \(targets.map(\.rawValue).joined(separator: ","))"
                         + (unstated ? (unsloth ? " (U: Unsloth's README example where unstated)" : " (U: PEFT's LoraConfig defaults where unstated)") : ""))
        } else if method == .freeze {
            recipe.fineTuning = FineTuning(method: .freeze)
        }
        if unsloth {
            // Unsloth's own stack (its README's example): Triton kernels, Cut Cross-Entropy, and
            // gradient checkpointing "unsloth", which offloads the checkpointed inputs to the host.
            recipe.fusedKernels = true
            recipe.cutCrossEntropy = true
            notes.append("Unsloth: fused Triton kernels, Cut Cross-Entropy (U: its README's settings)")
            if run.gradientCheckpointing != false {
                recipe.recompute = .full
                recipe.activationOffload = true
                notes.append("gradient checkpointing \"unsloth\": checkpointed layer inputs offloaded to host memory (U: Unsloth's default)")
            }
        }
        if !encoderDecoder && model.outputHead == .lmHead && !unsloth {
            // A causal LM's loss in transformers: ForCausalLMLoss upcasts the whole logits to fp32.
            recipe.fp32LogitsLoss = true
            notes.append("loss over fp32 logits (U: transformers' ForCausalLMLoss, logits.float() then cross_entropy)")
        }
        if method == .qlora && !unsloth {
            // A 4-bit model goes through PEFT's prepare_model_for_kbit_training in TRL's SFTTrainer
            // and the QLoRA scripts; Unsloth prepares its models with its own code.
            recipe.fp32UnquantizedWeights = true
            notes.append("embeddings, output layer and norms in fp32 (U: PEFT's prepare_model_for_kbit_training, as TRL's SFTTrainer and the QLoRA scripts call it)")
            recipe.quantisedLinearsKeepInputs = true
            notes.append("bitsandbytes' 4-bit linears keep their inputs (MatMul4Bit saves A whenever an input needs a gradient)")
        }

        applyStatedKnobs(run, to: &recipe, notes: &notes)

        var zero = 0
        if let offload = run.offload?.lowercased() {
            if offload.contains("param") || offload.contains("zero-3") || offload.contains("zero3") || offload.contains("all") {
                recipe.offload = .all
                zero = 3
                notes.append("CPU offload of parameters and optimizer (ZeRO-3 offload)")
            } else {
                recipe.offload = .optimizer
                notes.append("CPU offload of the optimizer (ZeRO-Offload)")
            }
            if recipe.optimizer.isPaged || recipe.optimizer == .adam8bit {
                // DeepSpeed refuses a client optimizer under ZeRO-Offload (`zero_force_ds_cpu_optimizer`,
                // default true) and steps with its CPU Adam; bitsandbytes' kernels need GPU states.
                notes.append("Adam on the CPU instead of the stated \(recipe.optimizer.rawValue) (U: ZeRO-Offload steps with DeepSpeedCPUAdam)")
                recipe.optimizer = .adam
                recipe.optimizerStep = nil
            }
        }
        let batch = max(run.batch ?? 1, 1)
        if run.batch == nil { notes.append("micro-batch 1 (U: batch unstated)") }
        let seq = max(run.seq ?? min(512, model.maxSeq), 1)
        if run.seq == nil { notes.append("sequence \(seq) tokens (U: unstated)") }
        var layout = ParallelLayout(dp: run.gpus, zero: run.gpus > 1 ? zero : 0, microBatch: batch,
                                    globalBatch: batch * run.gpus, seq: seq,
                                    targetSeq: encoderDecoder ? seq : nil)
        if run.gpus > 1 && layout.zero == 0 {
            // Several GPUs and no sharding stated: replicas (DDP) where they fit, else what multi-GPU
            // fine-tuning of a model that size runs, full sharding (FSDP FULL_SHARD, ZeRO-3).
            let estimator = Estimator(model: model, cluster: cluster)
            if !estimator.estimate(layout, recipe: recipe).fits {
                layout.zero = 3
                notes.append("ZeRO-3 / FSDP full sharding over the \(run.gpus) GPUs (U: unstated; replicas would not fit)")
            } else {
                notes.append("data-parallel replicas over the \(run.gpus) GPUs (U: unstated; DDP)")
            }
        }
        return (recipe, layout, notes)
    }

    /// What a case states of its loss, of stepping the optimizer in the backward and of offloading
    /// activations, over the defaults its mapping chose: torchtune's `CEWithChunkedOutputLoss`
    /// (its default `num_output_chunks` 8, `TrainingRecipe.lossOutputChunks`), Cut Cross-Entropy,
    /// or an unchunked cross-entropy; `optimizer_in_bwd`; `enable_activation_offloading`.
    static func applyStatedKnobs(_ run: FinetuneRun, to recipe: inout TrainingRecipe, notes: inout [String]) {
        if let loss = run.loss {
            let words = loss.lowercased()
            if words.contains("chunk") {
                recipe.lossOutputChunks = 8
                recipe.cutCrossEntropy = nil
                recipe.fp32LogitsLoss = nil   // torchtune's chunks, in the model dtype
                notes.append("chunked loss, 8 chunks (stated: \(loss))")
            } else if words.contains("cut") {
                recipe.cutCrossEntropy = true
                notes.append("Cut Cross-Entropy (stated: \(loss))")
            } else if words.contains("cross") && words.contains("entropy") && !words.contains("linear") {
                recipe.lossOutputChunks = nil
                recipe.cutCrossEntropy = nil
                notes.append("unchunked loss (stated: \(loss))")
            } else {
                notes.append("loss '\(loss)' not read: the recipe's loss kept (U)")
            }
        }
        if let inBackward = run.optimizerInBwd {
            recipe.optimizerInBackward = inBackward
            notes.append("optimizer step \(inBackward ? "in" : "after") the backward (stated)")
        }
        if let offloading = run.activationOffloading {
            recipe.activationOffload = offloading ? true : nil
            notes.append("activation offloading \(offloading ? "on" : "off") (stated)")
        }
    }

    /// The optimizer a case's words name: bitsandbytes' paged and 8-bit AdamW, Adafactor, SGD, or
    /// AdamW for any other word; nil when the case states none.
    static func statedOptimizer(_ words: String?) -> OptimizerKind? {
        guard let words = words?.lowercased() else { return nil }
        let eightBit = words.contains("8bit") || words.contains("8-bit") || words.contains("8 bit")
        if words.contains("paged") { return eightBit ? .pagedAdam8bit : .pagedAdam }
        if eightBit { return .adam8bit }
        if words.contains("adafactor") { return .adafactor }
        if words.contains("sgd") { return .sgd }
        return .adam
    }

    /// The LoRA targets a case's `target_modules` name, each once and in order; empty when it
    /// names none Loom knows.
    static func statedLoRATargets(_ run: FinetuneRun) -> [LoRATarget] {
        Array(Set((run.lora?.targetModules ?? []).flatMap(loraTargets(module:)))).sorted()
    }

    /// Whether the case's `target_modules` name a fused Q/K/V linear, which carries one adapter
    /// (`TrainingRecipe.fusedQKVAdapter`).
    static func statesFusedQKV(_ run: FinetuneRun) -> Bool {
        (run.lora?.targetModules ?? []).contains { fusedQKVModules.contains($0.lowercased()) }
    }

    static let fusedQKVModules: Set<String> = ["query_key_value", "qkv_proj", "c_attn", "wqkv", "qkv"]

    /// The LoRA targets a PEFT `target_modules` name covers: Llama-style projections, GPT-style
    /// fused and output projections, T5's q/k/v/o and wi/wo, and PEFT's `all-linear`.
    static func loraTargets(module name: String) -> [LoRATarget] {
        let name = name.lowercased()
        switch name {
        case "all-linear", "all_linear": return LoRATarget.allLinear
        case "q_proj", "q", "query", "q_lin": return [.q]
        case "k_proj", "k", "key", "k_lin": return [.k]
        case "v_proj", "v", "value", "v_lin": return [.v]
        case "o_proj", "o", "out_proj", "dense", "output_proj", "c_proj", "out_lin": return [.o]
        case _ where fusedQKVModules.contains(name): return [.q, .k, .v]
        case "gate_proj", "w1": return [.gate]
        case "up_proj", "w3", "wi", "fc1", "dense_h_to_4h", "wi_0", "wi_1", "c_fc": return [.up]
        case "down_proj", "w2", "wo", "fc2", "dense_4h_to_h": return [.down]
        default: return []
        }
    }
}

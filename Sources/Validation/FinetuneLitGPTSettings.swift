import CostModel
import Hardware
import Workloads

/// The settings of a LitGPT fine-tuning case (Lightning-AI/litgpt `litgpt finetune` with a
/// `config_hub/finetune/<model>/<method>.yaml`, @26857050), for what the case leaves unstated:
/// - precision `bf16-true`: weights, gradients and AdamW's moments in bf16, no fp32 copy
///   (`masterWeights` off); a stated "mixed" or "32" precision is kept;
/// - the optimizer `torch.optim.AdamW` over the trainable parameters, or with a bitsandbytes
///   quantisation (`quantize: bnb.nf4`) `instantiate_bnb_optimizer`'s `bnb.optim.PagedAdamW`
///   (32-bit paged states); the unquantised weights stay bf16 (no `prepare_model_for_kbit_training`);
/// - no activation checkpointing on one GPU (`strategy="auto"`); several GPUs run FSDP with
///   `activation_checkpointing_policy={Block}`;
/// - the configs' LoRA: rank 32, alpha 16, dropout 0.05 on the query and value projections, but
///   rank 8 (QLoRA 16) with dropout 0.1 on every linear layer for Gemma 2B and Gemma 2 2B, rank
///   16 with dropout 0.1 on every linear layer for Gemma 7B and Gemma 2 9B, rank 8 with dropout
///   0.05 on every linear layer for Phi-2 and Phi-3, rank 32 on every linear layer for TinyLlama
///   (their `lora_head` adapter on the output layer is not modelled); the Q/K/V adapters are one
///   (`LoRAQKVLinear` on the fused `attn`: one dropout mask and copy, `fusedQKVAdapter`);
/// - the output layer applied in chunks of 128 positions (`lm_head_chunk_size=128`) and
///   `chunked_cross_entropy` over them, one chunk at a time (`TrainingRecipe.lossOutputChunks`,
///   seq / 128 chunks), which reach the loss in fp32: Fabric's `_FabricModule` converts the
///   model's outputs to the default dtype (`convert_output`), so `fp32LogitsLoss`;
/// - one fused `attn` projection split into Q, K and V views (`fusedQKVProjection`): under
///   multi-head attention V's view keeps the whole output beside RoPE's copies of Q and K;
/// - `fit` binds `logits = model(...)` each micro-batch, so the previous micro-batch's logits and
///   autograd graph are held until the next forward returns (`previousGraphHeld`,
///   `HeldPreviousGraph`), with the 4-bit linears' inputs `MatMul4Bit` keeps in `ctx.tensors`;
/// - gradient accumulation (every config's `global_batch_size` is above its
///   `micro_batch_size` but TinyLlama LoRA's): the gradients persist across micro-batches;
/// - `max_seq_length: 512` and the case's micro-batch, eager PyTorch with SDPA attention;
/// - `--quantize bnb.nf4` through Lightning's `BitsandbytesPrecision` (lightning
///   `fabric/plugins/precision/bitsandbytes.py`): `_NF4Linear` replaces every `torch.nn.Linear`
///   made under `fabric.init_module`, the LM head included (`quantisedOutputLayer`), with
///   `compress_statistics=False` (no double quantisation, 4.5 bits a weight; `bnb.nf4-dq`, named
///   in a case's precision, double-quantises), and
///   `_quantize_weight` quantises from `torch.half`, so each dequantised weight comes out in fp16
///   and `MatMul4Bit` casts it to bf16 (`dequantisationCast`). Not taken: since litgpt ae798aba
///   (2024-10-04, after the config_hub table's last measurements of 2024-09-27) `finetune/lora.py`
///   swaps the input embedding for bitsandbytes' `StableEmbedding` after
///   `mark_only_lora_as_trainable` and after building the optimizer, so the new table keeps a
///   gradient no optimizer steps: recipe key `stray_embedding_gradient` for a run of that code.
extension RunMapping {
    static func litgptSettings(_ run: FinetuneRun, method: FinetuneMethod,
                               model: TransformerModel) -> (TrainingRecipe, ParallelLayout, [String]) {
        var notes = ["framework fsdp (LitGPT on PyTorch Lightning Fabric)"]
        let words = run.precision?.lowercased() ?? ""
        let precision: Precision = words.contains("32") && !words.contains("bf16") ? .fp32
            : words.contains("16-mixed") && !words.contains("bf16") ? .fp16 : .bf16
        var recipe = TrainingRecipe(framework: .fsdp, precision: precision, recompute: run.gpus > 1 ? .full : .none)
        if !words.contains("mixed") && precision != .fp32 {
            recipe.masterWeights = false
            notes.append("bf16-true: no fp32 master weights, AdamW moments in bf16 (config_hub precision)")
        }
        if let checkpointing = run.gradientCheckpointing {
            recipe.recompute = checkpointing ? .full : .none
        } else {
            notes.append(run.gpus > 1 ? "activation checkpointing per Block (LitGPT's FSDP strategy)"
                         : "no activation checkpointing (LitGPT's single-device strategy)")
        }
        if method == .qlora {
            recipe.optimizer = statedOptimizer(run.optimizer) ?? .pagedAdam
            recipe.quantisedLinearsKeepInputs = true
            // `--quantize bnb.nf4-dq` (a case's precision naming it) double-quantises.
            let doubleQuantised = words.contains("nf4-dq") || words.contains("double")
            recipe.nf4DoubleQuantisation = doubleQuantised
            recipe.quantisedOutputLayer = true
            recipe.dequantisationCast = true
            notes.append("bitsandbytes PagedAdamW with 4-bit weights (instantiate_bnb_optimizer); unquantised weights in bf16; the 4-bit linears keep their inputs (MatMul4Bit)")
            notes.append(doubleQuantised
                ? "bnb.nf4-dq: every nn.Linear in NF4, the output layer included, with double quantisation, quantised from fp16 and cast back to bf16 when dequantised (Lightning BitsandbytesPrecision, _NF4DQLinear)"
                : "bnb.nf4: every nn.Linear in NF4, the output layer included, without double quantisation, quantised from fp16 and cast back to bf16 when dequantised (Lightning BitsandbytesPrecision, _NF4Linear)")
        } else if let stated = statedOptimizer(run.optimizer) {
            recipe.optimizer = stated
        } else {
            notes.append("torch.optim.AdamW (config_hub)")
        }
        if method.usesAdapters {
            let (rank, alpha, dropout, targets, family) = litgptLoRA(hf: run.model.hf, method: method)
            let stated = statedLoRATargets(run)
            let chosen = stated.isEmpty ? targets : stated
            let r = max(run.lora?.rank ?? rank, 1)
            let a = run.lora?.alpha.map(Double.init) ?? alpha
            let p = run.lora?.dropout ?? dropout
            recipe.fineTuning = FineTuning(method: method, rank: r, alpha: a, targets: chosen, dropout: p)
            // LitGPT's attention is one fused `attn` linear; LoRAQKVLinear drops out its input once
            // for the stacked lora_A of the enabled projections.
            recipe.fusedQKVAdapter = true
            notes.append("LoRA rank \(r), alpha \(Int(a)), dropout \(p), targets \(chosen.map(\.rawValue).joined(separator: ","))"
                         + " (config_hub \(family) where unstated)")
        } else if method == .freeze {
            recipe.fineTuning = FineTuning(method: .freeze)
        }
        let seq = max(run.seq ?? 512, 1)
        if run.seq == nil { notes.append("max_seq_length 512 (config_hub)") }
        recipe.lossOutputChunks = max(seq / 128, 1)
        notes.append("output layer and loss in chunks of 128 positions (lm_head_chunk_size, chunked_cross_entropy)")
        applyStatedKnobs(run, to: &recipe, notes: &notes)
        if recipe.lossOutputChunks != nil {
            // Fabric's `_FabricModule` casts the model's output, the logit chunks, to fp32.
            recipe.fp32LogitsLoss = true
            notes.append("the logit chunks cast to fp32 by Lightning Fabric's output conversion before the loss")
        }
        // `CausalSelfAttention` splits one fused `attn` output into Q, K and V views.
        recipe.fusedQKVProjection = true
        notes.append("Q, K and V split from one fused attn output, kept whole through V's view under multi-head attention (CausalSelfAttention)")
        // `fit` rebinds `logits` and `loss` only after the next `model(...)` returns; a case
        // whose peak is its first iteration (the longest sample first) holds no earlier graph.
        if run.longestSampleFirst == true {
            notes.append("peak at the first iteration, the longest sample's, with no earlier graph held (the case's longest_sample_first)")
        } else {
            recipe.previousGraphHeld = true
            notes.append(method == .qlora
                ? "the previous micro-batch's logits and graph, with the 4-bit linears' inputs MatMul4Bit keeps in ctx.tensors, held until the next forward returns (fit's logits = model(...))"
                : "the previous micro-batch's logits held until the next forward returns (fit's logits = model(...))")
        }
        let batch = max(run.batch ?? 1, 1)
        if run.batch == nil { notes.append("micro-batch 1 (U: unstated)") }
        notes.append("gradient accumulation over micro-batches (config_hub global_batch_size above micro_batch_size)")
        let layout = ParallelLayout(dp: run.gpus, zero: run.gpus > 1 ? 3 : 0, microBatch: batch,
                                    globalBatch: 2 * batch * run.gpus, seq: seq)
        return (recipe, layout, notes)
    }

    /// config_hub/finetune's LoRA settings for a model id: rank, alpha, dropout, targets, and the
    /// config family they come from.
    static func litgptLoRA(hf: String, method: FinetuneMethod)
        -> (rank: Int, alpha: Double, dropout: Double, targets: [LoRATarget], family: String) {
        let id = hf.lowercased()
        if id.contains("gemma-2b") || id.contains("gemma-2-2b") {
            return (method == .qlora ? 16 : 8, 16, 0.1, LoRATarget.allLinear, "gemma-2b")
        }
        if id.contains("gemma") { return (16, 16, 0.1, LoRATarget.allLinear, "gemma-7b") }
        if id.contains("phi-2") || id.contains("phi-3") { return (8, 16, 0.05, LoRATarget.allLinear, "phi") }
        if id.contains("tinyllama") || id.contains("tiny-llama") { return (32, 16, 0.05, LoRATarget.allLinear, "tiny-llama") }
        return (32, 16, 0.05, [.q, .v], "llama/mistral/falcon")
    }
}

import CostModel
import Foundation
import Workloads

/// `--emit peft`: the Hugging Face configuration that runs a plan's settings, as one JSON
/// document: PEFT's `LoraConfig` (LoRA/QLoRA), transformers' `BitsAndBytesConfig` (QLoRA: NF4
/// with double quantisation, bf16 compute, Dettmers et al. 2023) and `TrainingArguments`
/// (batch, accumulation, precision, gradient checkpointing, optimizer, and the DeepSpeed ZeRO
/// configuration with CPU offload when the plan shards or offloads).
///
/// Names follow the libraries: `optim` values of transformers' `OptimizerNames` (adamw_torch_fused,
/// adamw_torch, adamw_bnb_8bit, paged_adamw_32bit, paged_adamw_8bit, adafactor, sgd); LoRA `target_modules`
/// by model family (Llama-style `q_proj` ... `down_proj`; T5 `q`, `k`, `v`, `o`, `wi`/`wi_0`,
/// `wi_1`, `wo`; BERT `query`, `key`, `value`, `dense`; BLOOM's fused `query_key_value`, `dense`,
/// `dense_h_to_4h`, `dense_4h_to_h`).
public enum PEFTArguments {
    /// `hasBF16`: whether the GPU computes in bf16 (Ampere and later); without it (T4, V100, Turing,
    /// Pascal) a 16-bit plan is written as fp16 mixed precision, the 16-bit format the estimate
    /// costs there (`PeakThroughput.sixteenBit`), which transformers' `TrainingArguments(bf16=True)`
    /// would refuse on such a GPU ("Your setup doesn't support bf16/gpu").
    public static func json(_ plan: Estimate, model: TransformerModel, hasBF16: Bool = true) -> String {
        let recipe = plan.recipe.recipe
        let layout = plan.layout
        var document: [String: Any] = [:]
        let tuning = recipe.fineTuning
        if tuning.method.usesAdapters {
            document["lora_config"] = [
                "r": tuning.rank, "lora_alpha": tuning.alpha, "lora_dropout": tuning.dropout ?? 0.0, "bias": "none",
                "target_modules": moduleNames(tuning.targets, model: model),
                "task_type": model.isEncoderDecoder ? "SEQ_2_SEQ_LM" : (model.outputHead == .lmHead ? "CAUSAL_LM" : "FEATURE_EXTRACTION"),
            ] as [String: Any]
        }
        if tuning.method == .qlora {
            // Double quantisation as the estimate stores the weights (`TrainingRecipe.nf4DoubleQuantisation`).
            document["bnb_config"] = ["load_in_4bit": true, "bnb_4bit_quant_type": "nf4",
                                      "bnb_4bit_use_double_quant": recipe.nf4DoubleQuantisation ?? true,
                                      "bnb_4bit_compute_dtype": "bfloat16"] as [String: Any]
            // The estimate holds the unquantised weights in fp32, as PEFT's
            // prepare_model_for_kbit_training leaves them (`TrainingRecipe.fp32UnquantizedWeights`).
            if recipe.fp32UnquantizedWeights == true { document["prepare_model_for_kbit_training"] = true }
        }
        let microBatches = layout.dp > 0 ? layout.globalBatch / (layout.dp * max(layout.microBatch, 1)) : 1
        var arguments: [String: Any] = [
            "per_device_train_batch_size": layout.microBatch,
            "gradient_accumulation_steps": max(microBatches, 1),
            "gradient_checkpointing": recipe.recompute != .none,
            "optim": optimizerName(recipe.optimizer, step: recipe.optimizerStep),
            "bf16": recipe.precision == .bf16 && hasBF16 && recipe.keepsMasterWeights,
            "fp16": (recipe.precision == .fp16 || (recipe.precision == .bf16 && !hasBF16)) && recipe.keepsMasterWeights,
            // Trainer's torch.compile: the fused elementwise kernels of `fused_kernels` on an
            // eager PyTorch framework (fsdp, deepspeed, torchtitan).
            "torch_compile": recipe.effectiveFusedKernels && recipe.framework.profile.kernels != .fused,
        ]
        if !recipe.keepsMasterWeights && recipe.precision != .fp32 {
            // Pure 16-bit: load the model in its dtype instead of autocasting from fp32.
            document["model_kwargs"] = ["torch_dtype": recipe.precision == .fp16 || !hasBF16 ? "float16" : "bfloat16"]
        }
        if layout.zero > 0 || recipe.offload != .none {
            var zero: [String: Any] = ["stage": recipe.offload == .all ? 3 : max(layout.zero, recipe.offload == .none ? layout.zero : 2)]
            if recipe.offload != .none { zero["offload_optimizer"] = ["device": "cpu", "pin_memory": true] }
            if recipe.offload == .all { zero["offload_param"] = ["device": "cpu", "pin_memory": true] }
            var deepspeed: [String: Any] = ["zero_optimization": zero, "train_micro_batch_size_per_gpu": "auto",
                                            "gradient_accumulation_steps": "auto", "bf16": ["enabled": "auto"]]
            if recipe.offload != .none {
                // ZeRO-Offload steps with DeepSpeed's CPU Adam, built from the config's optimizer
                // section (a client optimizer is refused: `zero_force_ds_cpu_optimizer`).
                deepspeed["optimizer"] = ["type": "AdamW", "params": ["lr": "auto", "betas": "auto", "eps": "auto",
                                                                     "weight_decay": "auto"]] as [String: Any]
            }
            arguments["deepspeed"] = deepspeed
        }
        document["training_arguments"] = arguments
        document["max_seq_length"] = layout.seq
        document["world_size"] = layout.gpus
        guard let data = try? JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted, .sortedKeys]),
              let text = String(data: data, encoding: .utf8) else { return "{}" }
        return text
    }

    /// transformers `OptimizerNames` for an optimizer kind. Adam is named as the estimate costs its
    /// step: `adamw_torch_fused` (PyTorch's fused AdamW, one pass over the states:
    /// `OptimizerStepTraffic`) unless the recipe says `optimizer_step=per-op`, which is
    /// `adamw_torch` (PyTorch's foreach AdamW, one pass per operation:
    /// `OptimizerStepKernels.perOp`), transformers' default before torch 2.8
    /// (`TrainingArguments.default_optim`).
    static func optimizerName(_ kind: OptimizerKind, step: OptimizerStepKernels? = nil) -> String {
        switch kind {
        case .adam: return step == .perOp ? "adamw_torch" : "adamw_torch_fused"
        case .adam8bit: return "adamw_bnb_8bit"
        case .pagedAdam: return "paged_adamw_32bit"
        case .pagedAdam8bit: return "paged_adamw_8bit"
        case .adafactor: return "adafactor"
        case .sgd: return "sgd"
        }
    }

    /// PEFT `target_modules` names of the targets in the model's family.
    static func moduleNames(_ targets: [LoRATarget], model: TransformerModel) -> [String] {
        var names: [String] = []
        for target in targets {
            let name: [String]
            if model.isEncoderDecoder {
                switch target {
                case .q, .k, .v, .o: name = [target.rawValue]
                case .gate: name = model.mlp.isGated ? ["wi_0"] : []
                case .up: name = model.mlp.isGated ? ["wi_1"] : ["wi"]
                case .down: name = ["wo"]
                }
            } else if model.outputHead == .maskedLM {
                switch target {
                case .q: name = ["query"]
                case .k: name = ["key"]
                case .v: name = ["value"]
                case .o, .up, .down: name = ["dense"]
                case .gate: name = []
                }
            } else if model.position == .alibi {
                switch target {
                case .q, .k, .v: name = ["query_key_value"]
                case .o: name = ["dense"]
                case .up, .gate: name = ["dense_h_to_4h"]
                case .down: name = ["dense_4h_to_h"]
                }
            } else {
                name = target == .gate && !model.mlp.isGated ? [] : [target.moduleName]
            }
            for n in name where !names.contains(n) { names.append(n) }
        }
        return names
    }
}

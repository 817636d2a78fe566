import CostModel
import Foundation
import Workloads

/// A plan as the arguments a training framework takes, to paste into a launch script.
///
/// Flag names: Megatron-LM `megatron/training/arguments.py`; torchtitan `torchtitan/config/job_config.py`
/// (`[parallelism]`, `[training]`, `[activation_checkpoint]`); DeepSpeed's config JSON
/// (deepspeed.ai/docs/config-json) with Megatron-DeepSpeed's model-parallel flags.
public enum LaunchArguments {
    /// Megatron-LM / Megatron-Core flags. ZeRO-1 is Megatron's distributed optimizer
    /// (`--use-distributed-optimizer`); ZeRO-2/3 are Megatron-Core's FSDP sharding strategies.
    public static func megatronArguments(_ plan: Estimate, model: TransformerModel) -> [String] {
        let l = plan.layout
        var args = ["--tensor-model-parallel-size", "\(l.tp)", "--pipeline-model-parallel-size", "\(l.pp)"]
        if l.pp > 1 && model.layers % l.pp != 0 {
            // Uneven stages (`StageAssignment`): Megatron-Core takes the first and last stage's
            // layer counts and splits the rest evenly.
            let stages = StageAssignment(stages: l.pp, layers: model.layers)
            args += ["--decoder-first-pipeline-num-layers", "\(stages.layers(onStage: 0))",
                     "--decoder-last-pipeline-num-layers", "\(stages.layers(onStage: l.pp - 1))"]
        }
        if l.vpp > 1 {
            if model.layers % (l.pp * l.vpp) == 0 {
                args += ["--num-layers-per-virtual-pipeline-stage", "\(model.layers / (l.pp * l.vpp))"]
            } else {
                args += ["--num-virtual-stages-per-pipeline-rank", "\(l.vpp)"]
            }
        }
        args += ["--context-parallel-size", "\(l.cp)"]
        if l.ep > 1 { args += ["--expert-model-parallel-size", "\(l.ep)"] }
        if l.sequenceParallel { args.append("--sequence-parallel") }
        switch l.recompute {
        case .none: break
        case .selective: args += ["--recompute-granularity", "selective"]
        case .full: args += ["--recompute-granularity", "full", "--recompute-method", "uniform", "--recompute-num-layers", "1"]
        }
        switch l.zero {
        case 0: break
        case 1: args.append("--use-distributed-optimizer")
        default:
            // ZeRO-2/3 map to Megatron-Core's own FSDP (megatron/core/distributed/fsdp):
            // optim_grads shards optimizer state and gradients, optim_grads_params also the weights.
            args += ["--use-distributed-optimizer", "--use-custom-fsdp", "--data-parallel-sharding-strategy",
                     l.zero == 2 ? "optim_grads" : "optim_grads_params"]
        }
        if l.flashAttention { args.append("--use-flash-attn") }
        args += ["--micro-batch-size", "\(l.microBatch)", "--global-batch-size", "\(l.globalBatch)",
                 "--seq-length", "\(l.seq)"]
        return args
    }

    /// The Megatron flags as one command-line fragment.
    public static func megatron(_ plan: Estimate, model: TransformerModel) -> String {
        megatronArguments(plan, model: model).joined(separator: " ")
    }

    /// A torchtitan TOML snippet. ZeRO 0 is plain replication (`data_parallel_replicate_degree`);
    /// ZeRO >= 1 is FSDP2 sharding over DP (`data_parallel_shard_degree`), resharding after the
    /// forward only for ZeRO-3 (ZeRO-1/2 keep the gathered weights: `"never"`). With PP the local
    /// batch is the replica's batch, split into micro-batches by the pipeline; without PP it is
    /// one micro-batch and `global_batch_size` sets the gradient accumulation. With `model`,
    /// interleaved plans also get `pipeline_parallel_layers_per_stage`.
    public static func torchtitan(_ plan: Estimate, model: TransformerModel? = nil) -> String {
        let l = plan.layout
        let perReplica = l.globalBatch / max(l.dp, 1)
        var lines = ["[parallelism]"]
        if l.zero == 0 {
            lines += ["data_parallel_replicate_degree = \(l.dp)", "data_parallel_shard_degree = 1"]
        } else {
            lines += ["data_parallel_replicate_degree = 1", "data_parallel_shard_degree = \(l.dp)",
                      "fsdp_reshard_after_forward = \"\(l.zero == 3 ? "always" : "never")\""]
        }
        lines += ["tensor_parallel_degree = \(l.tp)", "pipeline_parallel_degree = \(l.pp)",
                  "context_parallel_degree = \(l.cp)"]
        if l.ep > 1 { lines.append("expert_parallel_degree = \(l.ep)") }
        if l.pp > 1 {
            let schedule = l.schedule == .gpipe ? "GPipe" : (l.vpp > 1 ? "Interleaved1F1B" : "1F1B")
            lines += ["pipeline_parallel_schedule = \"\(schedule)\"", "pipeline_parallel_microbatch_size = \(l.microBatch)"]
            if l.vpp > 1, let model {
                lines.append("pipeline_parallel_layers_per_stage = \(model.layers / max(l.pp * l.vpp, 1))")
            }
        }
        lines += ["", "[training]", "local_batch_size = \(l.pp > 1 ? perReplica : l.microBatch)",
                  "global_batch_size = \(l.globalBatch)", "seq_len = \(l.seq)", "",
                  "[activation_checkpoint]", "mode = \"\(l.recompute.rawValue)\""]
        if l.recompute == .selective { lines.append("selective_ac_option = \"op\"") }
        return lines.joined(separator: "\n")
    }

    /// A DeepSpeed config JSON (batch sizes, ZeRO stage, bf16), pretty-printed with sorted keys.
    public static func deepspeedConfig(_ plan: Estimate) -> String {
        let l = plan.layout
        let accumulation = l.globalBatch / max(l.microBatch * l.dp, 1)
        let config: [String: Any] = [
            "train_batch_size": l.globalBatch,
            "train_micro_batch_size_per_gpu": l.microBatch,
            "gradient_accumulation_steps": accumulation,
            "zero_optimization": ["stage": l.zero, "overlap_comm": l.overlapGradReduce],
            "bf16": ["enabled": true],
            "activation_checkpointing": ["partition_activations": l.recompute == .full && l.tp > 1,
                                         "contiguous_memory_optimization": false],
        ]
        guard let data = try? JSONSerialization.data(withJSONObject: config, options: [.prettyPrinted, .sortedKeys]) else {
            return "{}"
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// Megatron-DeepSpeed's model-parallel flags that go with `deepspeedConfig`.
    public static func megatronDeepSpeedArguments(_ plan: Estimate, configPath: String = "ds_config.json") -> [String] {
        let l = plan.layout
        var args = ["--tensor-model-parallel-size", "\(l.tp)", "--pipeline-model-parallel-size", "\(l.pp)"]
        if l.sequenceParallel { args.append("--sequence-parallel") }
        switch l.recompute {
        case .none: break
        case .selective: args += ["--recompute-granularity", "selective"]
        case .full: args.append("--checkpoint-activations")
        }
        args += ["--micro-batch-size", "\(l.microBatch)", "--global-batch-size", "\(l.globalBatch)",
                 "--seq-length", "\(l.seq)", "--zero-stage", "\(l.zero)",
                 "--deepspeed", "--deepspeed_config", configPath]
        return args
    }

    /// The DeepSpeed config followed by the Megatron-DeepSpeed flags, as `loom plan --emit
    /// deepspeed` prints them.
    public static func deepspeed(_ plan: Estimate) -> String {
        "# ds_config.json\n" + deepspeedConfig(plan) + "\n# Megatron-DeepSpeed flags\n"
            + megatronDeepSpeedArguments(plan).joined(separator: " ")
    }
}

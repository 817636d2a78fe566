import CostModel
import Workloads

/// A plan as torchtitan 0.3.0 command-line arguments (`torchtitan/config`: a tyro CLI, no TOML):
/// `--module M --config C` picks the registry model, then `--section.key value` overrides and
/// the activation-checkpoint subcommand last. Keys and rules: Tests/emit/README.md, read from
/// the 0.3.0 wheel. A plan torchtitan cannot express throws `EmitError`.
public enum TorchtitanArguments {
    public static let targetVersion = "torchtitan 0.3.0"

    public static func argumentLines(_ plan: Estimate, model: TransformerModel) throws -> [[String]] {
        try LaunchArguments.requireFullTraining(plan, target: "torchtitan")
        try LaunchArguments.requireFP32OptimizerStates(plan, target: "torchtitan")
        try LaunchArguments.requireFrameworkCommunication(plan, target: "torchtitan")
        let l = plan.layout
        guard let registry = ModelFamilyFacts.torchtitanRegistry(model) else {
            throw EmitError("--emit torchtitan: \(model.name) has no torchtitan 0.3.0 registry configuration "
                + "(llama3_8b, llama3_70b, qwen3_30b_a3b; llama3_405b trains in float8 with async TP, not this plan)")
        }
        var lines: [[String]] = [["--module", registry.module, "--config", registry.config]]
        // FSDP2 shards parameters, gradients and optimizer state (ZeRO-3); never resharding
        // after the forward keeps gathered weights (ZeRO-2); replication is DDP (ZeRO-0).
        // There is no optimizer-only sharding.
        var replicate = l.dp, shard = 1
        switch l.zero {
        case 0: break
        case 1: throw EmitError("--emit torchtitan: torchtitan has no ZeRO-1 (optimizer-only sharding); FSDP2 shards the gradients too (ZeRO-2/3)")
        default:
            shard = l.shardGroup.map { max($0 / max(l.cp, 1), 1) } ?? l.dp
            guard shard > 0, l.dp % shard == 0 else {
                throw EmitError("--emit torchtitan: shard group \(l.shardGroup ?? 0) does not divide dp x cp = \(l.dp * l.cp)")
            }
            replicate = l.dp / shard
        }
        var dp = ["--parallelism.data_parallel_replicate_degree", "\(replicate)", "--parallelism.data_parallel_shard_degree", "\(shard)"]
        if l.zero == 2 { dp += ["--parallelism.fsdp_reshard_after_forward", "never"] }
        lines.append(dp)
        if l.tp > 1 {
            guard l.sequenceParallel else {
                throw EmitError("--emit torchtitan: TP \(l.tp) without sequence parallelism; torchtitan's TP always shards the sequence")
            }
            lines.append(["--parallelism.tensor_parallel_degree", "\(l.tp)"])
        }
        if l.cp > 1 {
            guard l.seq % (2 * l.tp * l.cp) == 0 else {
                throw EmitError("--emit torchtitan: seq \(l.seq) is not divisible by 2 x tp x cp = \(2 * l.tp * l.cp) (torchtitan's load-balanced CP)")
            }
            lines.append(["--parallelism.context_parallel_degree", "\(l.cp)"])
        }
        if l.ep > 1 { lines.append(["--parallelism.expert_parallel_degree", "\(l.ep)"]) }
        let perReplica = l.globalBatch / max(l.dp, 1)
        if l.pp > 1 { lines.append(try pipeline(plan, layers: model.layers)) }
        var training = ["--training.seq_len", "\(l.seq)", "--training.local_batch_size", "\(l.pp > 1 ? perReplica : l.microBatch)",
                        "--training.global_batch_size", "\(l.globalBatch)"]
        switch plan.recipe.precision {
        case .bf16: training += ["--training.mixed_precision_param", "bfloat16"]
        case .fp32: training += ["--training.mixed_precision_param", "float32"]
        default:
            throw EmitError("--emit torchtitan: \(plan.recipe.precision.rawValue) needs torchtitan's float8/MX model converters, which Loom does not emit")
        }
        // CUDA graphs are incompatible with pipeline schedules and the all-to-all MoE dispatch.
        if l.pp > 1 || l.ep > 1 { training.append("--training.disable_cuda_graphs") }
        lines.append(training)
        // torch.compile of the model and the loss (`[compile] enable`, components model and loss
        // by default): the fused elementwise kernels the estimate assumed (`fused_kernels`).
        if plan.recipe.recipe.effectiveFusedKernels { lines.append(["--compile.enable"]) }
        lines.append(["activation-checkpoint:\(l.recompute.rawValue)"])
        return lines
    }

    /// PP keys: the schedule, micro-batch size and layers per stage. torchtitan counts the
    /// embedding and output as layers when `first/last_stage_less_layers` are 1 (its default):
    /// an even split sets them to 0; an uneven one keeps them and needs
    /// ceil((layers + 2) / n) = pp x vpp stages.
    static func pipeline(_ plan: Estimate, layers: Int) throws -> [String] {
        let l = plan.layout
        let stages = l.pp * max(l.vpp, 1)
        let schedule = l.schedule == .gpipe ? "GPipe" : (l.vpp > 1 ? "Interleaved1F1B" : "1F1B")
        guard l.vpp == 1 || l.schedule != .gpipe else {
            throw EmitError("--emit torchtitan: GPipe with virtual stages (vpp \(l.vpp)) is not a torchtitan schedule")
        }
        var args = ["--parallelism.pipeline_parallel_degree", "\(l.pp)", "--parallelism.pipeline_parallel_schedule", schedule]
        if layers % stages == 0 {
            args += ["--parallelism.pipeline_parallel_layers_per_stage", "\(layers / stages)",
                     "--parallelism.pipeline_parallel_first_stage_less_layers", "0",
                     "--parallelism.pipeline_parallel_last_stage_less_layers", "0"]
        } else {
            let n = (layers + 2 + stages - 1) / stages
            guard (layers + 2 + n - 1) / n == stages else {
                throw EmitError("--emit torchtitan: \(layers) layers (+ embedding and output) do not split into \(stages) equal pipeline stages")
            }
            args += ["--parallelism.pipeline_parallel_layers_per_stage", "\(n)"]
        }
        let perReplica = l.globalBatch / max(l.dp, 1)
        guard perReplica % max(l.microBatch, 1) == 0 else {
            throw EmitError("--emit torchtitan: the per-replica batch \(perReplica) is not a multiple of the micro-batch \(l.microBatch)")
        }
        args += ["--parallelism.pipeline_parallel_microbatch_size", "\(l.microBatch)"]
        return args
    }

    public static func text(_ plan: Estimate, model: TransformerModel) throws -> String {
        let lines = try argumentLines(plan, model: model)
        return "# \(targetVersion): torchrun ... -m torchtitan.train <arguments> (FSDP2 prefetch overlaps the gathers by default)\n"
            + MegatronArguments.argumentsFile(lines)
    }
}

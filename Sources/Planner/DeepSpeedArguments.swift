import CostModel
import Foundation
import Workloads

/// A plan as a DeepSpeed 0.19.x config JSON (`runtime/config.py`, `runtime/zero/config.py`:
/// unknown keys are rejected) plus the Megatron-DeepSpeed command line that goes with it.
/// Plans DeepSpeed cannot express throw `EmitError`: ring context parallelism (DeepSpeed's
/// sequence parallelism is Ulysses all-to-all), virtual pipeline stages (its pipeline engine
/// does not interleave), ZeRO-2/3 with the pipeline engine (`PipelineEngine` asserts stage < 2),
/// expert parallelism and FP8.
public enum DeepSpeedArguments {
    public static let targetVersion = "deepspeed 0.19.x"

    static func checkExpressible(_ plan: Estimate, model: TransformerModel) throws {
        try LaunchArguments.requireFullTraining(plan, target: "deepspeed")
        try LaunchArguments.requireFP32OptimizerStates(plan, target: "deepspeed")
        try LaunchArguments.requireFrameworkCommunication(plan, target: "deepspeed")
        let l = plan.layout
        if l.cp > 1 {
            throw EmitError("--emit deepspeed: context parallelism (cp \(l.cp)) has no DeepSpeed form; its sequence parallelism is Ulysses all-to-all, not ring attention")
        }
        if l.vpp > 1 {
            throw EmitError("--emit deepspeed: virtual pipeline stages (vpp \(l.vpp)) have no DeepSpeed form; its pipeline engine does not interleave")
        }
        if l.pp > 1 && l.zero >= 2 {
            throw EmitError("--emit deepspeed: ZeRO-\(l.zero) with pipeline parallelism (pp \(l.pp)); DeepSpeed's pipeline engine asserts ZeRO stage < 2")
        }
        if model.moe != nil {
            throw EmitError("--emit deepspeed: \(model.name) is a mixture of experts; Loom does not emit DeepSpeed-MoE")
        }
        switch plan.recipe.precision {
        case .bf16, .fp16, .fp32: break
        default: throw EmitError("--emit deepspeed: \(plan.recipe.precision.rawValue) is not a DeepSpeed config precision (bf16, fp16, fp32)")
        }
        _ = try MegatronArguments.modelArguments(model, seq: l.seq, gpuArchMajor: 8)
    }

    /// The config as sorted-key pretty JSON. DP = world / (tp x pp), as Megatron-DeepSpeed's mpu
    /// reports it: train_batch_size = micro x accumulation x DP.
    public static func config(_ plan: Estimate, model: TransformerModel) throws -> String {
        try checkExpressible(plan, model: model)
        let l = plan.layout
        let accumulation = l.globalBatch / max(l.microBatch * l.dp, 1)
        var zero: [String: Any] = ["stage": l.zero]
        if l.zero >= 1 {
            // Bucket sizes: DeepSpeed's documented defaults (5e8 elements).
            zero["overlap_comm"] = l.overlapGradReduce
            zero["contiguous_gradients"] = true
            zero["reduce_bucket_size"] = 500_000_000
        }
        if l.zero == 3 {
            zero["stage3_prefetch_bucket_size"] = 500_000_000
            zero["stage3_param_persistence_threshold"] = 1_000_000
        }
        var config: [String: Any] = [
            "train_batch_size": l.globalBatch,
            "train_micro_batch_size_per_gpu": l.microBatch,
            "gradient_accumulation_steps": accumulation,
            "gradient_clipping": 1.0,
            "zero_optimization": zero,
            "wall_clock_breakdown": false,
        ]
        switch plan.recipe.precision {
        case .bf16: config["bf16"] = ["enabled": true]
        case .fp16: config["fp16"] = ["enabled": true]
        default: break
        }
        if l.pp > 1 { config["pipeline"] = ["activation_checkpoint_interval": l.recompute == .full ? 1 : 0] }
        let data = try JSONSerialization.data(withJSONObject: config, options: [.prettyPrinted, .sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    /// Megatron-DeepSpeed's flags: the model (its spelling: `--num-key-value-heads`,
    /// `--use-rotary-position-embeddings`), precision, layout and the config path.
    public static func argumentLines(_ plan: Estimate, model: TransformerModel, configPath: String = "deepspeed.json") throws -> [[String]] {
        try checkExpressible(plan, model: model)
        let l = plan.layout
        var shape = ["--num-layers", "\(model.layers)", "--hidden-size", "\(model.hidden)", "--ffn-hidden-size", "\(model.ffn)",
                     "--num-attention-heads", "\(model.heads)"]
        if model.kvHeads != model.heads { shape += ["--num-key-value-heads", "\(model.kvHeads)"] }
        shape += ["--seq-length", "\(l.seq)", "--max-position-embeddings", "\(max(model.maxSeq, l.seq))"]
        var block: [String] = []
        if model.position == .rotary { block += ["--use-rotary-position-embeddings", "--rope-theta", ModelFamilyFacts.ropeBase(model)] }
        if model.mlp == .swiglu { block.append("--swiglu") }
        if model.norm == .rmsnorm { block += ["--normalization", "rmsnorm"] }
        if !model.linearBias { block.append("--disable-bias-linear") }
        if !model.tiedEmbeddings { block.append("--untie-embeddings-and-output-weights") }
        if l.flashAttention { block.append("--use-flash-attn-v2") }
        switch plan.recipe.precision {
        case .bf16: block.append("--bf16")
        case .fp16: block.append("--fp16")
        default: break
        }
        var layout = ["--tensor-model-parallel-size", "\(l.tp)"]
        if l.sequenceParallel { layout.append("--sequence-parallel") }
        layout += ["--pipeline-model-parallel-size", "\(l.pp)"]
        if l.pp == 1 { layout.append("--no-pipeline-parallel") }
        switch l.recompute {
        case .none: break
        case .selective: layout += ["--recompute-granularity", "selective"]
        case .full: layout.append("--checkpoint-activations")
        }
        return [shape, block, layout,
                ["--micro-batch-size", "\(l.microBatch)", "--global-batch-size", "\(l.globalBatch)"],
                ["--deepspeed", "--deepspeed_config", configPath, "--zero-stage", "\(l.zero)"],
                ["--train-iters", "1000", "--lr", "3e-4", "--min-lr", "3e-5", "--lr-decay-style", "cosine",
                 "--lr-warmup-iters", "100", "--weight-decay", "0.1", "--clip-grad", "1.0",
                 "--adam-beta1", "0.9", "--adam-beta2", "0.95"]]
    }

    /// The config followed by the Megatron-DeepSpeed flags, as `loom plan --emit deepspeed` prints them.
    public static func text(_ plan: Estimate, model: TransformerModel) throws -> String {
        "# \(targetVersion): ds_config.json\n" + (try config(plan, model: model))
            + "\n# Megatron-DeepSpeed pretrain_gpt.py flags\n"
            + MegatronArguments.argumentsFile(try argumentLines(plan, model: model, configPath: "ds_config.json"))
    }
}

import CostModel
import Workloads

/// A plan the chosen framework cannot express: one line naming what and why
/// (`loom plan --emit` prints it and exits non-zero; never a different layout).
public struct EmitError: Error, CustomStringConvertible, Sendable, Hashable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// A plan as the launch configuration of a training framework, to paste into a launch script.
/// One file per framework: `MegatronArguments` (megatron-core 0.19.x), `TorchtitanArguments`
/// (torchtitan 0.3.0), `DeepSpeedArguments` (deepspeed 0.19.x + Megatron-DeepSpeed),
/// `MaxTextArguments`, `PEFTArguments`. Each is checked by the framework's own parser and
/// validators in Tests/emit (scripts/check-emit.sh).
public enum LaunchArguments {
    /// Megatron's arguments as one flat list (no environment).
    public static func megatronArguments(_ plan: Estimate, model: TransformerModel, gpuArchMajor: Int = 9) throws -> [String] {
        try MegatronArguments.argumentLines(plan, model: model, gpuArchMajor: gpuArchMajor).flatMap { $0 }
    }

    /// `loom plan --emit megatron`: version line, environment, arguments.
    public static func megatron(_ plan: Estimate, model: TransformerModel, gpuArchMajor: Int = 9) throws -> String {
        try MegatronArguments.text(plan, model: model, gpuArchMajor: gpuArchMajor)
    }

    /// `loom plan --emit torchtitan`.
    public static func torchtitan(_ plan: Estimate, model: TransformerModel) throws -> String {
        try TorchtitanArguments.text(plan, model: model)
    }

    /// `loom plan --emit deepspeed`.
    public static func deepspeed(_ plan: Estimate, model: TransformerModel) throws -> String {
        try DeepSpeedArguments.text(plan, model: model)
    }

    /// Throws unless the plan trains every weight: adapters (LoRA/QLoRA) and frozen embeddings
    /// are PEFT's (`--emit peft`), not flags of the pretraining frameworks.
    public static func requireFullTraining(_ plan: Estimate, target: String) throws {
        let method = plan.recipe.recipe.fineTuning.method
        guard method == .full else {
            throw EmitError("--emit \(target): \(method.rawValue) fine-tuning is not expressed in \(target)'s launch flags; use --emit peft")
        }
    }

    /// Throws when the plan asks for eager elementwise kernels (`fused_kernels` false) from a
    /// framework whose kernels are always fused (Megatron's fused norms, bias-activations and
    /// rotary; XLA's loop fusion): the emitted configuration would not be the one estimated.
    public static func requireFusedKernels(_ plan: Estimate, target: String) throws {
        guard plan.recipe.recipe.effectiveFusedKernels else {
            throw EmitError("--emit \(target): fused_kernels false (eager elementwise kernels) is not emitted for \(target), whose kernels are fused")
        }
    }

    /// Throws when the plan keeps bf16 optimizer states (`optimizer_state_dtype`), which only
    /// Megatron's precision-aware optimizer expresses among the emitted frameworks.
    public static func requireFP32OptimizerStates(_ plan: Estimate, target: String) throws {
        guard plan.recipe.recipe.optimizerStateDtype != .bf16 else {
            throw EmitError("--emit \(target): optimizer_state_dtype bf16 is not emitted for \(target), whose optimizer keeps fp32 states")
        }
    }

    /// Throws when the plan reduces gradients in a dtype other than the framework's own
    /// (`gradient_reduce_dtype`) or asks for FSDP's BACKWARD_POST or no backward prefetch
    /// (`backward_prefetch`), which the emitted launch flags do not set.
    public static func requireFrameworkCommunication(_ plan: Estimate, target: String) throws {
        let recipe = plan.recipe.recipe
        if let dtype = recipe.gradientReduceDtype, dtype.bytes != recipe.framework.profile.gradientReduceBytes {
            throw EmitError("--emit \(target): gradient_reduce_dtype \(dtype.rawValue) is not emitted for \(target), which reduces gradients in its own dtype")
        }
        if let prefetch = recipe.backwardPrefetch, prefetch != .pre {
            throw EmitError("--emit \(target): backward_prefetch \(prefetch.rawValue) is not emitted for \(target), which prefetches before each backward")
        }
        try requireEmittedKernels(plan, target: target)
    }

    /// Throws when the plan times kernels the emitted flags do not select: Composer's per-op
    /// optimizer step (`optimizer_step`), Transformer Engine's fused grouped MLP
    /// (`fused_grouped_mlp`), its FP8 dot-product attention (`fp8_attention`) or Megatron-Core's
    /// per-module recomputation (`recompute_modules`). The launch would run other kernels than
    /// the plan's times assume.
    public static func requireEmittedKernels(_ plan: Estimate, target: String) throws {
        let recipe = plan.recipe.recipe
        if let step = recipe.optimizerStep, step != .fused {
            throw EmitError("--emit \(target): optimizer_step \(step.rawValue) is not emitted for \(target), whose optimizer step is fused")
        }
        if recipe.fusedGroupedMLP == true {
            throw EmitError("--emit \(target): fused_grouped_mlp true is not emitted for \(target) (its flags select no fused grouped MLP)")
        }
        if recipe.fp8Attention == true {
            throw EmitError("--emit \(target): fp8_attention true is not emitted for \(target) (its flags keep attention in 16 bits)")
        }
        if let modules = recipe.recomputeModules, !modules.isEmpty {
            throw EmitError("--emit \(target): recompute_modules is not emitted for \(target) (its flags set no per-module recomputation)")
        }
    }

    /// Throws unless the plan's precision is one `target`'s emitted configuration trains in.
    public static func requirePrecision(_ plan: Estimate, target: String, in allowed: [Precision]) throws {
        let precision = plan.recipe.precision
        guard allowed.contains(precision) else {
            throw EmitError("--emit \(target): \(precision.rawValue) is not emitted for \(target) (it trains in "
                + allowed.map(\.rawValue).joined(separator: " or ") + ")")
        }
    }

    /// The CUDA compute capability (major) the configuration targets, from the accelerator's name.
    public static func cudaArchMajor(acceleratorName: String) -> Int {
        ModelFamilyFacts.cudaArchMajor(acceleratorName)
    }
}

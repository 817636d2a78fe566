/// The dtype the optimizer keeps Adam's moments in (`TrainingRecipe.optimizerStateDtype`): fp32,
/// every framework's default (the K = 12 of `OptimizerKind.stateBytesPerParameter`), or bf16
/// where the framework lets the user lower it.
public enum OptimizerStateDtype: String, Sendable, Hashable, Codable, CaseIterable {
    case fp32
    case bf16
}

/// The dtype the data-parallel gradient reduction (all-reduce or reduce-scatter) runs in
/// (`TrainingRecipe.gradientReduceDtype`), whatever the dtype the gradients are computed in.
/// PyTorch FSDP's `MixedPrecision(reduce_dtype=...)` casts each unit's unsharded gradient to it
/// before the reduce-scatter; Composer's FSDP presets (composer/trainer/mosaic_fsdp_utils.py
/// `get_mixed_precision`, v0.13-v0.16) set `reduce_dtype = torch.float32` for `DEFAULT` and the
/// precision's 16-bit dtype for `PURE`.
public enum GradientReduceDtype: String, Sendable, Hashable, Codable, CaseIterable {
    case fp32
    case bf16

    /// Bytes per reduced element.
    public var bytes: Double {
        switch self {
        case .fp32: return 4
        case .bf16: return 2
        }
    }
}

/// What a mixed-precision job keeps and moves per trainable parameter when its Adam moments are
/// bf16, read from the two frameworks that offer it:
/// - nemo: NeMo 24.07's `distributed_fused_adam` (Apex `DistributedFusedAdam`) with
///   `optim.dtype: bf16`: the moments `exp_avg_shard` / `exp_avg_sq_shard` are allocated in
///   `dtype` (2 + 2 bytes); NeMo (`megatron_base_model.py setup_optimization`, commit 0b8a80ee)
///   sets `store_params=False` when the optimizer dtype equals the bf16 model dtype, so no master
///   copy is kept (the bf16 parameter is updated in place); the contiguous gradient buffer is
///   allocated in `grad_sync_dtype` (Apex `_init_grad_buffer`), bf16 in the launcher's configs
///   (and Apex's default, `dtype`): 2 bytes, reduced in 2 bytes.
/// - megatron-core: `--use-precision-aware-optimizer --main-grads-dtype bf16 --exp-avg-dtype bf16
///   --exp-avg-sq-dtype bf16` (Megatron-LM `arguments.py`, `optimizer/__init__.py`): moments
///   2 + 2 in Transformer Engine's `FusedAdam`; the fp32 master (`--main-params-dtype` fp32, the
///   only other choice being fp16) kept by `FusedAdam` as 16-bit remainders beside bf16
///   parameters (`OptimizerConfig.store_param_remainders`, default true from TE 2.1): 2 bytes;
///   for fp16 parameters or FP8 recipes other than delayed scaling (`mxfp8`, `nvfp4`) Megatron
///   keeps the full fp32 main parameter (`use_precision_aware_optimizer_no_fp8_or_ds_fp8`): 4;
///   main gradients bf16: 2 bytes, reduced in 2.
/// Other frameworks keep fp32 states (`problem` refuses the setting).
public struct SixteenBitOptimizerState: Sendable, Hashable {
    /// Bytes of the master copy the optimizer keeps beside the 16-bit weight (0: the weight is
    /// the master; 2: fp32 remainders; 4: a full fp32 copy).
    public var masterBytes: Double
    /// Adam's two bf16 moments.
    public var momentBytes: Double
    /// The gradient buffer and the data-parallel reduction, bytes per element.
    public var gradientBytes: Double
    /// Bytes of the model's 16-bit weight.
    public var weightBytes: Double

    /// bf16 states under `recipe`, or nil when its moments are fp32.
    public init?(recipe: TrainingRecipe) {
        guard recipe.optimizerStateDtype == .bf16 else { return nil }
        let bf16 = 2.0
        weightBytes = recipe.precision.weightBytes
        momentBytes = 2 * bf16
        gradientBytes = bf16
        switch recipe.framework {
        case .megatronCore:
            masterBytes = recipe.precision == .bf16 || recipe.precision == .fp8 ? bf16 : 4
        default:
            masterBytes = 0
        }
    }

    /// Optimizer-state bytes per parameter (the `optimizer` memory term).
    public var stateBytesPerParameter: Double { masterBytes + momentBytes }

    /// One line when the recipe asks for bf16 states the framework cannot keep, else nil.
    public static func problem(recipe: TrainingRecipe) -> String? {
        guard recipe.optimizerStateDtype == .bf16 else { return nil }
        let flag = "--recipe optimizer_state_dtype=bf16"
        guard recipe.framework == .nemo || recipe.framework == .megatronCore else {
            return "\(flag): \(recipe.framework.rawValue) keeps fp32 optimizer states (bf16 states are modelled for nemo's distributed_fused_adam and megatron-core's precision-aware optimizer)"
        }
        guard recipe.optimizer == .adam else {
            return "\(flag): takes --optimizer adam (distributed_fused_adam and the precision-aware optimizer are Adam), not \(recipe.optimizer.rawValue)"
        }
        guard recipe.keepsMasterWeights, recipe.precision != .fp32 else {
            return "\(flag): needs mixed precision (fp32 training or master_weights false has no fp32 states to lower)"
        }
        return nil
    }
}

extension TrainingRecipe {
    /// HBM bytes the optimizer step moves per updated parameter: one kernel per operation
    /// (mixed-precision Adam, `OptimizerStepKernels.perOp`), else the fused step over the states'
    /// dtypes (`OptimizerStepTraffic`).
    public var optimizerStepBytesPerParameter: Double {
        if optimizerStep == .perOp && optimizer == .adam && optimizerStateDtype != .bf16 {
            return CostModelConstants.perOpAdamStepBytesPerParameter
        }
        return OptimizerStepTraffic(recipe: self).bytesPerParameter
    }
}

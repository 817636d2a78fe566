import CostModel
import Testing

/// bf16 optimizer states (`TrainingRecipe.optimizerStateDtype`, `SixteenBitOptimizerState`)
/// against hand counts from the frameworks' code: Apex `DistributedFusedAdam` as NeMo 24.07
/// configures it (bf16 moments, no master copy, bf16 gradient buffer) and Megatron-Core's
/// precision-aware optimizer (bf16 moments and main gradients, fp32 master as 16-bit remainders).
@Suite struct OptimizerStatePrecisionTests {
    func accounting(_ framework: Framework, _ precision: Precision = .bf16, dtype: OptimizerStateDtype?) -> ParameterAccounting {
        var recipe = TrainingRecipe(framework: framework, precision: precision)
        recipe.optimizerStateDtype = dtype
        return ParameterAccounting(StageParameters(dense: 1000, expert: 0), layout: ParallelLayout(dp: 4, zero: 1),
                                   recipe: recipe)
    }

    /// 1000 parameters, ZeRO-1 over 4 ranks: weights 2 B each whole, gradients whole, states / 4.
    @Test func memoryPerParameter() {
        // fp32 (unset and stated alike): 2 + 4 (fp32 main grad) + (4 + 8) / 4.
        for dtype in [nil, OptimizerStateDtype.fp32] {
            let fp32 = accounting(.nemo, dtype: dtype)
            #expect(fp32.memory.weights == 2000 && fp32.memory.gradients == 4000 && fp32.memory.optimizer == 3000)
        }
        // nemo bf16: moments 2 + 2, no master (store_params False), bf16 grad buffer: 2 + 2 + 4 / 4.
        let nemo = accounting(.nemo, dtype: .bf16)
        #expect(nemo.memory.weights == 2000 && nemo.memory.gradients == 2000 && nemo.memory.optimizer == 1000)
        #expect(nemo.gradientReductionBytes == 1000 * 2)
        // megatron-core bf16: moments 4 + 16-bit remainders 2 = 6 / 4; main grads bf16.
        let core = accounting(.megatronCore, dtype: .bf16)
        #expect(core.memory.gradients == 2000 && core.memory.optimizer == 1500)
        // megatron-core mxfp8: Megatron keeps the full fp32 main param: (4 + 4) / 4.
        #expect(accounting(.megatronCore, .mxfp8, dtype: .bf16).memory.optimizer == 2000)
    }

    /// Optimizer-step HBM bytes per updated parameter: 2 x (master + moments + gradient) + the
    /// 16-bit weight once (from a full master) or twice (read and written).
    @Test func stepBytesPerParameter() {
        var recipe = TrainingRecipe(framework: .nemo)
        #expect(recipe.optimizerStepBytesPerParameter == 34)
        recipe.optimizerStateDtype = .bf16
        // Apex: read param 2, moments 4, grad 2; write moments 4, params_out 2; grad norm 2.
        #expect(recipe.optimizerStepBytesPerParameter == 16)
        recipe.framework = .megatronCore
        // + remainders read and written: 2 x 2.
        #expect(recipe.optimizerStepBytesPerParameter == 20)
        recipe.precision = .mxfp8
        // fp32 master read and written 8, moments 8, grad 4, bf16 copy written 2.
        #expect(recipe.optimizerStepBytesPerParameter == 22)
    }

    /// The fused step over other states' dtypes, counted by hand from the kernels' operands.
    @Test func stepBytesFollowTheStatesDtypes() {
        var mixed = TrainingRecipe(framework: .fsdp)
        // fp32 master 2 x 4, fp32 moments 2 x 8, fp32 main gradient 2 x 4, bf16 copy written 2.
        #expect(mixed.optimizerStepBytesPerParameter == 34)
        mixed.optimizer = .adam8bit
        // bitsandbytes' blockwise 8-bit moments, 1 + 1 bytes read and written: 8 + 4 + 8 + 2.
        #expect(mixed.optimizerStepBytesPerParameter == 22)
        var pure = TrainingRecipe(framework: .fsdp)
        pure.masterWeights = false
        // torchtune's bf16 AdamW: bf16 moments 2 x 4, bf16 gradient 2 x 2, the weight read and written 2 x 2.
        #expect(pure.optimizerStepBytesPerParameter == 16)
        pure.optimizer = .pagedAdam8bit
        // PagedAdamW8bit: p 2 + g 2 + state1 1 + state2 1 read, p 2 + states 2 written, the norm's read 2.
        #expect(pure.optimizerStepBytesPerParameter == 12)
        let fp32 = TrainingRecipe(framework: .deepspeed, precision: .fp32)
        // fp32 Adam without a master: moments 2 x 8, gradient 2 x 4, weight 2 x 4.
        #expect(fp32.optimizerStepBytesPerParameter == 32)
    }

    /// Frameworks without bf16 states, other optimizers and pure 16-bit training are refused.
    @Test func refusals() {
        var recipe = TrainingRecipe(framework: .nemo)
        recipe.optimizerStateDtype = .bf16
        #expect(SixteenBitOptimizerState.problem(recipe: recipe) == nil)
        var fsdp = recipe
        fsdp.framework = .fsdp
        #expect(SixteenBitOptimizerState.problem(recipe: fsdp)?.contains("fsdp keeps fp32 optimizer states") == true)
        var sgd = recipe
        sgd.optimizer = .sgd
        #expect(SixteenBitOptimizerState.problem(recipe: sgd)?.contains("takes --optimizer adam") == true)
        var pure = recipe
        pure.masterWeights = false
        #expect(SixteenBitOptimizerState.problem(recipe: pure)?.contains("needs mixed precision") == true)
    }
}

/// The data-parallel reduction dtype (`TrainingRecipe.gradientReduceDtype`): PyTorch FSDP casts
/// each unit's gradient to `MixedPrecision.reduce_dtype` before the reduce-scatter, fp32 under
/// Composer's `mixed_precision: DEFAULT`, bf16 under `PURE` (composer/trainer/mosaic_fsdp_utils.py
/// `get_mixed_precision`).
@Suite struct GradientReduceDtypeTests {
    /// 1000 trainable parameters under FSDP (ZeRO-3 over 4): the fsdp profile reduces 2 bytes
    /// each (bf16 `reduce_dtype`), fp32 stated 4, bf16 stated 2; the kept gradient shard stays
    /// the fp32 4 bytes / 4 ranks whatever the reduction.
    @Test func reductionBytesPerParameter() {
        func accounting(_ dtype: GradientReduceDtype?) -> ParameterAccounting {
            var recipe = TrainingRecipe(framework: .fsdp)
            recipe.gradientReduceDtype = dtype
            return ParameterAccounting(StageParameters(dense: 1000, expert: 0), layout: ParallelLayout(dp: 4, zero: 3),
                                       recipe: recipe)
        }
        #expect(accounting(nil).gradientReductionBytes == 2000)
        #expect(accounting(.bf16).gradientReductionBytes == 2000)
        #expect(accounting(.fp32).gradientReductionBytes == 4000)
        #expect(accounting(.fp32).memory.gradients == 1000)
        // A frozen class reduces nothing whatever the dtype.
        var frozen = TrainingRecipe(framework: .fsdp)
        frozen.gradientReduceDtype = .fp32
        frozen.fineTuning = FineTuning(method: .lora)
        let lora = ParameterAccounting(StageParameters(dense: 1000, expert: 0), layout: ParallelLayout(dp: 4, zero: 3),
                                       recipe: frozen)
        #expect(lora.dense.gradientReduceBytesPerParameter == 0)
    }
}

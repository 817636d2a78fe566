/// HBM bytes the optimizer step moves per updated parameter, from the dtypes the optimizer keeps:
/// read and write the master copy (when one is kept beside the weight) and the moments, read the
/// gradient for the update and again for the norm (clipping), and the model's weight: written
/// once from a full fp32 master, read and written when it is itself the master or its upper half
/// (Apex `_local_step` passes [param, exp_avg, exp_avg_sq, grad, params_out] to
/// `multi_tensor_fused_adam`; TE `FusedAdam` with remainders reads and writes both halves):
///   bytes = 2 x (master + moments + gradient) + (master >= 4 ? 1 : 2) x weight.
/// - mixed-precision Adam (fp32 master 4, moments 8, fp32 main gradient 4, bf16 weight 2): 34;
/// - mixed-precision 8-bit Adam (bitsandbytes' blockwise states, 1 + 1 bytes): 2 x (4 + 2 + 4) + 2 = 22;
/// - pure bf16 (torchtune's `dtype: bf16`): no master, the moments and the gradient in the weight's
///   dtype, the weight read and written: AdamW 2 x (0 + 4 + 2) + 2 x 2 = 16; bitsandbytes'
///   8-bit AdamW (`kOptimizerStatic8bit2StateBlockwise` reads p, g, state1, state2 and writes p,
///   state1, state2) 2 x (0 + 2 + 2) + 2 x 2 = 12;
/// - pure fp32 Adam: 2 x (0 + 8 + 4) + 2 x 4 = 32;
/// - bf16 moments (`SixteenBitOptimizerState`): nemo 16, megatron-core with remainders 20.
public struct OptimizerStepTraffic: Sendable, Hashable {
    /// Bytes of the master copy kept beside the weight (0: the weight is the master; 2: fp32
    /// remainders; 4: a full fp32 copy).
    public var masterBytes: Double
    /// The optimizer's moments (both of Adam's, SGD's momentum, Adafactor's factored rows: 0).
    public var momentBytes: Double
    /// The gradient the step reads.
    public var gradientBytes: Double
    /// The model's weight.
    public var weightBytes: Double

    /// HBM bytes per updated parameter.
    public var bytesPerParameter: Double {
        let weightPasses: Double = masterBytes >= 4 ? 1 : 2
        return 2 * (masterBytes + momentBytes + gradientBytes) + weightPasses * weightBytes
    }
}

extension OptimizerStepTraffic {
    /// The traffic of `recipe`'s optimizer over its states' dtypes.
    public init(recipe: TrainingRecipe) {
        let precision = recipe.precision
        if let sixteenBit = SixteenBitOptimizerState(recipe: recipe) {
            self.init(masterBytes: sixteenBit.masterBytes, momentBytes: sixteenBit.momentBytes,
                      gradientBytes: sixteenBit.gradientBytes, weightBytes: sixteenBit.weightBytes)
        } else if recipe.keepsMasterWeights {
            // Mixed precision: the fp32 master, the moments in their own dtype, the fp32 main
            // gradient (Megatron's `main_grad`, FSDP's fp32 `reduce_dtype`, DeepSpeed's fp32 grads).
            self.init(masterBytes: precision.masterWeightBytes, momentBytes: recipe.optimizer.momentBytesPerParameter,
                      gradientBytes: Precision.fp32.gradientBytes, weightBytes: precision.weightBytes)
        } else {
            self.init(masterBytes: 0, momentBytes: recipe.optimizer.momentBytes(parameterBytes: precision.weightBytes),
                      gradientBytes: precision.gradientBytes, weightBytes: precision.weightBytes)
        }
    }
}

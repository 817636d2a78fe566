import Hardware

/// The routed experts' output bias under Megatron-Core's `TEGroupedMLP` (GPT-OSS has biases on
/// every expert matrix; Megatron-Bridge's GPT-OSS bridge sets `add_bias_linear`). fc1's bias is
/// added inside Transformer Engine's grouped GEMM (its gradient comes out of the weight-gradient
/// grouped GEMM, TE `grouped_linear.py` v2.9), but fc2 is built with `skip_bias_add=True`: its
/// bias must be scaled by each row's router probability before the combine, so
/// `TEGroupedMLP._apply_bias` splits the [tokens x k, h] output per expert, computes
/// `t + b * p` and concatenates, each a separate memory-bound kernel
/// (`CostModelConstants.expertBiasForwardBytes`, `expertBiasBackwardBytes`).
///
/// The fused grouped MLP (`TrainingRecipe.fusedGroupedMLP`: Megatron-Core's
/// `use_transformer_engine_op_fuser` with `NVTE_CUTEDSL_FUSED_GROUPED_MLP=1`, TE >= 2.14) scales
/// the bias inside TE's `GroupedLinear(scale_bias=True)` and moves no extra bytes; so do
/// frameworks that fuse the add into the GEMM's epilogue (`FrameworkProfile.addsExpertBiasUnfused`).
enum ExpertBiasTraffic {
    /// Forward and backward seconds of the bias path for `rows` routed token copies (tokens x k)
    /// of width `hidden` on one GPU; zero when the experts have no bias or the recipe fuses it.
    static func seconds(rows: Double, hidden: Double, geometry g: LayerGeometry, recipe: TrainingRecipe,
                        accelerator: Accelerator) -> (forward: Double, backward: Double) {
        guard g.expertOutputBias, recipe.framework.profile.addsExpertBiasUnfused, recipe.fusedGroupedMLP != true else {
            return (0, 0)
        }
        let elements = rows * hidden
        return (MatmulTime.memoryBoundSeconds(bytes: CostModelConstants.expertBiasForwardBytes * elements, accelerator: accelerator),
                MatmulTime.memoryBoundSeconds(bytes: CostModelConstants.expertBiasBackwardBytes * elements, accelerator: accelerator))
    }
}

import Hardware

/// GPT-OSS's clamped SwiGLU (HF `swiglu_limit` 7.0: the gate at most 7, the linear half within
/// [-7, 7]) under Megatron-Core's `TEGroupedMLP`. Megatron-Bridge's GPT-OSS bridge sets
/// `activation_func = quick_gelu`, `glu_linear_offset = 1.0`, `activation_func_clamp_value =
/// 7.0` and `bias_activation_fusion`, so the experts' activation is
/// `weighted_bias_quick_geglu_impl`: the probability-weighted GLU itself is one jit-fused kernel
/// (counted with every gated activation, `KernelTraffic.gatedActivation`), but the clamp before it
/// is plain PyTorch, `chunk`, two `clamp`s and a `cat` over the whole [tokens x k, 2 f] fc1 output
/// (`CostModelConstants.clampedGLUForwardBytes`, `clampedGLUBackwardBytes`). The fused grouped MLP
/// (`TrainingRecipe.fusedGroupedMLP`: TE's `ScaledClampedQGeGLU` inside the CuTe DSL kernel)
/// clamps in its epilogue and moves nothing extra.
enum ClampedGLUTraffic {
    /// Forward and backward seconds of the clamp for `elements` of fc1 output on one GPU; zero
    /// when the model does not clamp, or the framework or recipe fuses it.
    static func seconds(elements: Double, geometry g: LayerGeometry, recipe: TrainingRecipe,
                        accelerator: Accelerator) -> (forward: Double, backward: Double) {
        guard g.clampedGLU, recipe.framework.profile.clampsGLUOutsideFusedActivation, recipe.fusedGroupedMLP != true else {
            return (0, 0)
        }
        return (MatmulTime.memoryBoundSeconds(bytes: CostModelConstants.clampedGLUForwardBytes * elements, accelerator: accelerator),
                MatmulTime.memoryBoundSeconds(bytes: CostModelConstants.clampedGLUBackwardBytes * elements, accelerator: accelerator))
    }
}

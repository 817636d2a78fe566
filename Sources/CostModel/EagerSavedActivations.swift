import Workloads

/// Bytes per token a layer written in eager PyTorch saves for its backward beyond what the fused
/// kernels save (`ActivationMemory.bytesPerTokenPerLayer` counts the fused kernels' tensors, as
/// Korthikanti et al. 2022 do for Megatron's). Where the framework runs eager kernels
/// (`KernelTraffic.eager`: Hugging Face's, torchtune's and torchtitan's Llama code without
/// torch.compile), autograd keeps what each elementary op needs:
/// - RMSNorm, `(x.float() * rsqrt(x.float().pow(2).mean(-1) + eps)).type_as(x) * weight`
///   (HF `LlamaRMSNorm`, torchtune `RMSNorm`): `pow` saves the fp32 upcast of the input (4
///   bytes an element) where the fused kernel keeps the 16-bit input (`a`), and, when the weight
///   is trained, `* weight` saves the normalised input in the model dtype (`a` more): per norm
///   (4 - a) h (nothing when the model runs in fp32, whose upcast is the input itself) plus a h
///   for a trained scale; two norms a layer. LayerNorm is one native kernel even in eager mode
///   (`F.layer_norm` saves its input, mean and rstd): nothing more.
/// - A gated MLP, `down(act(gate(x)) * up(x))`: the product saves `act`'s output (a bytes per
///   element of the intermediate width) beside its input, which the fused SwiGLU recomputes.
/// - Grouped-query attention with K and V repeated to every query head before
///   `scaled_dot_product_attention` (HF `repeat_kv`, torchtitan `repeat_kv`, torchtune's
///   `expand(...).flatten(1, 2)`, LitGPT's `expand(...).reshape(...)`: "training: flash
///   attention requires it"): the kernel saves its materialised inputs, K and V at every head,
///   a x (heads x (qk + v head dim) - K/V width) more than the projections' outputs
///   (`repeatedKeyValueBytesPerToken`; nothing for multi-head attention).
/// - One fused Q/K/V projection whose output the attention takes as views (LitGPT's
///   `CausalSelfAttention`: `qkv.view(...).permute(...).split(...)`, then `reshape`, a view for
///   multi-head attention; `TrainingRecipe.fusedQKVProjection`): RoPE replaces Q and K with new
///   tensors (`apply_rope`, `torch.cat`), while V stays a view of the fused output, which SDPA
///   saves, so the whole output stays allocated: a x (Q + K widths) more than Q, K and V
///   (`fusedQKVOutputBytesPerToken`). Grouped-query attention copies V (`expand` then
///   `reshape`), freeing the fused output: nothing more there.
/// torch.compile's partitioner recomputes the upcasts and the activation in the backward, so a
/// compiled model (`TrainingRecipe.fusedKernels`) saves what the fused kernels do; the repeat, a
/// copy, is taken as recomputed with them (U: a min-cut choice).
///
/// Counted for the causal decoder-only stacks whose code this follows (Llama-family modules in
/// Hugging Face, torchtune and torchtitan). Hugging Face's T5 keeps more still in eager mode
/// (`T5LayerNorm` as above; `T5DenseGatedActDense`'s `gelu_new` composite saves its tanh and
/// its sum, its dropout a mask of the intermediate width) but is left at the fused count: its
/// PEFT rows (`Validation/finetune-runs.json`), which Loom already overestimates by 5-7%, would
/// need the rest of its eager accounting (relative position bias, dropout) revisited with it.
public enum EagerSavedActivations {
    /// Whether the recipe runs eager kernels on a causal decoder-only stack.
    public static func applies(to recipe: TrainingRecipe, geometry g: LayerGeometry) -> Bool {
        recipe.framework.profile.kernels == .eager && !recipe.effectiveFusedKernels
            && g.stacks.decoderLayers == 0 && g.stacks.mask == .causal
    }

    /// Extra bytes per token on the [tokens, h] tensors (the two norms), before any split by
    /// sequence parallelism.
    public static func normBytesPerToken(geometry g: LayerGeometry, recipe: TrainingRecipe) -> Double {
        guard applies(to: recipe, geometry: g), g.norm == .rmsnorm else { return 0 }
        let a = recipe.savedActivationBytes
        let trainedScale = recipe.fineTuning.method == .full
        return 2 * (max(4 - a, 0) + (trainedScale ? a : 0)) * g.hidden
    }

    /// Extra bytes per token of K and V repeated to every query head, before any split by TP.
    public static func repeatedKeyValueBytesPerToken(geometry g: LayerGeometry, recipe: TrainingRecipe) -> Double {
        guard applies(to: recipe, geometry: g) else { return 0 }
        let repeated = g.queryWidth + g.heads * g.vHeadDim
        return recipe.savedActivationBytes * max(repeated - g.keyWidth - g.valueWidth, 0)
    }

    /// Extra bytes per token of a fused Q/K/V output kept through V (before any split by TP):
    /// multi-head attention with rotary positions.
    public static func fusedQKVOutputBytesPerToken(geometry g: LayerGeometry, recipe: TrainingRecipe) -> Double {
        guard applies(to: recipe, geometry: g), recipe.fusedQKVProjection == true, g.rotary,
              g.latent == nil, g.keyWidth == g.queryWidth else { return 0 }
        return recipe.savedActivationBytes * (g.queryWidth + g.keyWidth)
    }

    /// Extra bytes per token on the MLP's intermediate width (`width`: the ffn, or the routed
    /// experts' and shared experts' widths a token passes through), before any split by TP.
    public static func gatedActivationBytesPerToken(geometry g: LayerGeometry, width: Double, recipe: TrainingRecipe) -> Double {
        guard applies(to: recipe, geometry: g), g.mlpMatrices == 3 else { return 0 }
        return recipe.savedActivationBytes * width
    }
}

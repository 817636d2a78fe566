/// torchtitan's selective activation checkpointing by op (`[activation_checkpoint] mode =
/// "selective"`, `selective_ac_option = "op"`, the default of its Llama 3 8B config): each
/// transformer block is wrapped in PyTorch's selective checkpoint with a policy that saves the
/// outputs of the ops in `_save_list` (`aten.mm`, the SDPA flash/efficient kernels,
/// `_c10d_functional.reduce_scatter_tensor`, `aten.abs`/`aten.max` for float8 scales) except
/// every second `mm` of the block, and recomputes everything else in the backward
/// (torchtitan `torchtitan/parallelisms/parallelize_llama.py`, `_apply_ac_to_transformer_block`,
/// at the commit of its December 2024 benchmarks, 9dec370).
///
/// In a torchtitan block the `mm`s run in the order wq, wk, wv, wo, then w1, w3, w2 for a gated
/// MLP (`w2(silu(w1(x)) * w3(x))`) or fc1, fc2 for a plain one, so the odd ones are saved:
/// Q, V, the gate projection (or fc1) and, in a gated MLP, the down projection's output. K, the
/// attention-output projection and the up projection are recomputed, and so is every
/// elementwise op (the norms, rotary embedding, the activation and the residual adds); the
/// attention core is not (its output and log-sum-exp are saved). The block's input is kept by
/// the checkpoint. Under tensor parallelism with sequence parallelism the two reduce-scatter
/// outputs (h/t each) are saved too, and a row-parallel `mm`'s output is the full-width
/// partial sum (h per token).
///
/// This differs from Korthikanti et al.'s selective recomputation (Megatron), which keeps every
/// projection and recomputes only the attention core: it keeps 43% of the activations (Llama 3.1
/// 8B with flash attention: 63,616 of 147,584 bytes per token and layer) for the price of three of
/// the seven projections.
public enum SelectiveOpCheckpoint {
    /// Bytes one layer keeps per token on one GPU.
    public static func keptBytesPerTokenPerLayer(geometry g: LayerGeometry, moe: Bool, layout: ParallelLayout,
                                                 recipe: TrainingRecipe) -> Double {
        let t = Double(layout.tp)
        let a = recipe.precision.activationBytes
        let gated = g.mlpMatrices == 3
        let h = g.hidden
        let kvPerRank = g.keyValueWidthPerRank(tp: layout.tp)
        let valuePerRank = g.keyWidth + g.valueWidth > 0 ? kvPerRank * g.valueWidth / (g.keyWidth + g.valueWidth) : 0
        let mlpWidth = moe ? g.expertsPerToken * g.expertFFN + g.sharedExpertFFN : g.ffn
        let input = layout.sequenceParallel ? h / t : h
        var elements = input + g.queryWidth / t + valuePerRank + g.heads * g.vHeadDim / t + mlpWidth / t
        if gated { elements += h }  // w2's output, the seventh mm
        if layout.tp > 1 && layout.sequenceParallel { elements += 2 * h / t }
        // The attention kernel's log-sum-exp, fp32 per head and query.
        let logSumExp = 4 * g.heads / t
        return a * elements + logSumExp
    }

    /// What the backward recomputes: K of the QKV projection, the output projection, the up
    /// projection of a gated MLP, and all the elementwise work.
    public static func recomputed(geometry g: LayerGeometry) -> RematPolicy.Recomputed {
        let qkvWidth = g.queryWidth + g.keyWidth + g.valueWidth
        return RematPolicy.Recomputed(qkv: qkvWidth > 0 ? g.keyWidth / qkvWidth : 0,
                                      attentionCore: false,
                                      outProj: !g.parallelBlock,
                                      mlpIn: g.mlpMatrices == 3 ? 0.5 : 0,
                                      elementwise: .layerForward)
    }
}

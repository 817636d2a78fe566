/// A JAX rematerialisation policy as MaxText names them (`remat_policy` in `MaxText/configs/base.yml`):
/// which named tensors of a decoder layer `jax.checkpoint` keeps for the backward pass; the rest
/// is recomputed from the layer's input (kept by the layer scan in every case).
///
/// What each policy saves (MaxText `MaxText/layers/decoders.py`, `get_remat_policy`):
/// - `full`: nothing (`nothing_saveable`), the layer input only;
/// - `minimal`: `checkpoint_dots_with_no_batch_dims`, every weight matmul's output (Q, K, V,
///   attention-output projection, MLP input and output projections); the attention core, whose
///   dots carry a batch dimension, is recomputed;
/// - `save_dot_with_context_except_mlp`: Q, K, V, the attention context and its output projection;
/// - `save_dot_except_mlpwi`: Q, K, V, the output projection and the MLP's output projection;
/// - `save_dot_except_mlp`: Q, K, V and the output projection;
/// - `save_qkv_proj`: Q, K, V;
/// - `save_out_proj`: the attention-output projection;
/// - `none` (MaxText `remat_policy: none`): no remat, everything kept.
///
/// Recomputed in the backward pass is what the backward needs and the policy did not keep
/// (JAX's partial evaluation drops forward work whose outputs no gradient reads):
/// - Q, K, V (the attention backward reads them) and the attention core (its output, the
///   context, is the output projection's input), unless kept;
/// - the MLP input projection(s) (the activation's backward and the output projection's weight
///   gradient read them), unless kept;
/// - the attention-output projection only in a sequential block, where its output feeds the
///   MLP's norm; in a parallel block (PaLM, GPT-J) both branches read the layer input, so it is
///   never recomputed, and the MLP's output projection (into the residual) never is;
/// - the memory-bound ops the backward reads through (the norms, the activation, the rotary
///   embedding, a sequential block's first residual add; `recomputedElementwise`), unless `none`.
/// PaLM's 540B run (Chowdhery et al. 2022, section 4: "one sharded activation saved per layer
/// and the rest rematerialised") is `full` on a parallel block.
public enum RematPolicy: String, Sendable, Hashable, Codable, CaseIterable {
    case none
    case minimal
    case saveDotWithContextExceptMLP = "save_dot_with_context_except_mlp"
    case saveDotExceptMLPWI = "save_dot_except_mlpwi"
    case saveDotExceptMLP = "save_dot_except_mlp"
    case saveQKVProj = "save_qkv_proj"
    case saveOutProj = "save_out_proj"
    case full

    /// The named tensors of one layer.
    public enum Tensor: Sendable, Hashable, CaseIterable {
        case qkv, context, outProj, mlpIn, mlpOut
    }

    /// What the policy keeps.
    public var saved: Set<Tensor> {
        switch self {
        case .none: return Set(Tensor.allCases)
        case .minimal: return [.qkv, .outProj, .mlpIn, .mlpOut]
        case .saveDotWithContextExceptMLP: return [.qkv, .context, .outProj]
        case .saveDotExceptMLPWI: return [.qkv, .outProj, .mlpOut]
        case .saveDotExceptMLP: return [.qkv, .outProj]
        case .saveQKVProj: return [.qkv]
        case .saveOutProj: return [.outProj]
        case .full: return []
        }
    }

    /// Per token of one layer on one chip: the widths (elements) of the tensors involved,
    /// after tensor parallelism (K and V replicated when tp exceeds the K/V heads).
    public struct Widths: Sendable, Hashable {
        public var hidden: Double
        public var qkv: Double
        public var context: Double
        public var mlpIn: Double
        public var mlpActivation: Double
        public var parallelBlock: Bool

        public init(hidden: Double, qkv: Double, context: Double, mlpIn: Double, mlpActivation: Double, parallelBlock: Bool) {
            self.hidden = hidden
            self.qkv = qkv
            self.context = context
            self.mlpIn = mlpIn
            self.mlpActivation = mlpActivation
            self.parallelBlock = parallelBlock
        }
    }

    /// Activation elements kept per token of one layer: the layer input (sharded over the tensor
    /// axis as MaxText's `activation_embed` rule shards it: `hidden` is the per-chip width) plus
    /// what the policy saves and the backward reads. A policy only marks values saveable; JAX keeps
    /// the residuals, the forward values the backward pass consumes (JAX docs, "Control autodiff's
    /// saved values with jax.checkpoint": of `sin(dot(W, x))` the residuals are the sin and cos
    /// outputs, not the dot's). The MLP's output projection only flows into the residual sum, whose
    /// backward reads no value, so it is never kept; the attention-output projection is kept only
    /// in a sequential block, where the MLP norm's backward reads the sum it feeds (recomputed from
    /// the layer input and the kept projection); in a parallel block it too only flows into the sum.
    /// `none` keeps every tensor the backward reads, the activation output included (the norms'
    /// outputs, which the weight gradients read, in place of the two projections' outputs).
    public func keptElementsPerToken(_ w: Widths) -> Double {
        let s = saved
        var kept = w.hidden
        if s.contains(.qkv) { kept += w.qkv }
        if s.contains(.context) { kept += w.context }
        if self == .none {
            kept += 2 * w.hidden + w.mlpIn + w.mlpActivation
            return kept
        }
        if s.contains(.outProj) && !w.parallelBlock { kept += w.hidden }
        if s.contains(.mlpIn) { kept += w.mlpIn }
        return kept
    }

    /// Which forward work the backward pass repeats: shares of the QKV and MLP-input
    /// projections (a policy may keep some of their outputs and not others, as torchtitan's
    /// per-op policy does, `SelectiveOpCheckpoint`), whether the attention core and the output
    /// projection run again, and the memory-bound (elementwise) ops re-run (`ElementwiseOps`).
    public struct Recomputed: Sendable, Hashable {
        public var qkv: Double
        public var attentionCore: Bool
        public var outProj: Bool
        public var mlpIn: Double
        public var elementwise: ElementwiseOps

        public init(qkv: Double, attentionCore: Bool, outProj: Bool, mlpIn: Double, elementwise: ElementwiseOps = .nothing) {
            self.qkv = qkv
            self.attentionCore = attentionCore
            self.outProj = outProj
            self.mlpIn = mlpIn
            self.elementwise = elementwise
        }
    }

    /// Whether the kept Q and K are the rotary embedding's outputs: MaxText names `query_proj` /
    /// `key_proj` after the rotary embedding (and any Q/K norm), so the name-based policies that
    /// save them keep the rotated values; `minimal` (`checkpoint_dots_with_no_batch_dims`) keeps
    /// the projections' dot outputs, which the rotary embedding reads (MaxText
    /// `layers/attentions.py`: `checkpoint_name(query, 'query_proj')` follows
    /// `apply_rotary_embedding`; at 76bd53b0 the dots precede `LLaMARotaryEmbedding` and the
    /// Q/K/V norms).
    public var keepsRotatedQueryKey: Bool { self != .minimal && saved.contains(.qkv) }

    /// The elementwise ops the backward re-runs. JAX re-runs what the backward reads and the
    /// policy did not keep (JAX docs, "Control autodiff's saved values with jax.checkpoint":
    /// under `dots_with_no_batch_dims_saveable`, of `sin(dot(W, x))` the dot's output is saved and
    /// the sin and cos are recomputed from it). No MaxText policy names a norm's or the
    /// activation's output (decoders.py `get_remat_policy`, linears.py names `mlpwi` before the
    /// activation, `mlpwo` after the MLP's output projection), so under every policy but `none`:
    /// - every norm: the projections' weight gradients read the norm outputs, the norms' backward
    ///   their inputs;
    /// - the activation: the MLP output projection's weight gradient reads its output;
    /// - the residual add feeding the MLP norm in a sequential block (the norm's backward reads
    ///   the sum, rebuilt from the layer input and the attention output); not the layer's last
    ///   add, nor a parallel block's (both branches read the layer input), whose backward reads
    ///   nothing;
    /// - the rotary embedding and the per-head Q/K/V norms unless the policy keeps Q, K and V
    ///   after them (`keepsRotatedQueryKey`): the attention's backward reads them.
    public func recomputedElementwise(parallelBlock: Bool) -> ElementwiseOps {
        if self == .none { return .nothing }
        return ElementwiseOps(norms: ElementwiseOps.layerForward.norms, residualAdds: parallelBlock ? 0 : 1,
                              activation: true, rotary: !keepsRotatedQueryKey, headNorms: !keepsRotatedQueryKey)
    }

    public func recomputed(parallelBlock: Bool) -> Recomputed {
        let s = saved
        let coreNeeded = !s.contains(.context)
        return Recomputed(qkv: s.contains(.qkv) ? 0 : 1,
                          attentionCore: coreNeeded,
                          outProj: !parallelBlock && !s.contains(.outProj),
                          mlpIn: s.contains(.mlpIn) ? 0 : 1,
                          elementwise: recomputedElementwise(parallelBlock: parallelBlock))
    }
}

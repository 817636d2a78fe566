import Hardware

/// Megatron-Core's per-module selective recomputation (`recompute_granularity = "selective"` with
/// `recompute_modules`, TransformerConfig), the memory-bound modules GPT-OSS's BF16 performance
/// recipes name (Megatron-Bridge perf_recipes/gpt_oss/{gb200,b200,h100}/gpt_oss.py:
/// `["layernorm", "moe_act"]`): each re-runs its forward before the backward
/// (`CheckpointWithoutOutput`). With Transformer Engine's layer spec the input norm is fused into
/// the QKV `LayerNormLinear` (an `IdentityOp`, not recomputed) and a dense MLP's norm into its fc1,
/// so only an MoE layer's separate `pre_mlp_layernorm` is recomputed
/// (megatron/core/transformer/transformer_layer.py @d7288711, `recompute_pre_mlp_layernorm`); the
/// experts' activation is `TEGroupedMLP.bias_act_func`, with GPT-OSS's GLU clamp
/// (experts.py, `activation_recompute`). Loom's `Recompute.selective` (the attention core) is a
/// different module set; these add to it. Time only: the memory the discarded outputs free is not
/// taken off.
public enum RecomputeModule: String, Sendable, Hashable, Codable, CaseIterable {
    case layernorm
    case moeAct = "moe_act"

    /// Comma-separated Megatron names ("layernorm,moe_act") as a list, or nil when one is unknown.
    public static func list(_ text: String) -> [RecomputeModule]? {
        let names = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let modules = names.compactMap(RecomputeModule.init(rawValue:))
        return modules.count == names.count && !modules.isEmpty ? modules : nil
    }

    /// Seconds an MoE layer's recomputed modules add before its backward: one norm over [tokens, h]
    /// (`norm` forward seconds) for `layernorm`; the experts' activation forward (`activation`
    /// seconds, with its clamp) for `moe_act`. Dense layers recompute neither (their norms are fused).
    static func seconds(_ modules: [RecomputeModule], moe: Bool, norm: Double, activation: Double) -> Double {
        guard moe else { return 0 }
        return (modules.contains(.layernorm) ? norm : 0) + (modules.contains(.moeAct) ? activation : 0)
    }
}

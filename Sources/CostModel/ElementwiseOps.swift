/// The memory-bound (elementwise) ops of one transformer layer, counted by kind: what the
/// forward runs (`layerForward`), and what a recomputation policy runs again before the backward
/// (`RematPolicy.Recomputed.elementwise`). One count serves both, so a policy's recomputed bytes
/// are a subset of the forward's, priced by the same `KernelTraffic` bytes per element.
///
/// Per op kind, the HBM bytes of one micro-batch on one chip (`PerOpBytes`, `LayerTimeModel`):
/// a norm or a residual add streams `KernelTraffic.rmsNorm`/`layerNorm` or `residualAdd` bytes
/// per element of [tokens, h] (split by sequence parallelism), the activation
/// `gatedActivation`/`plainActivation` per element of the MLP's intermediate width over tp, the
/// rotary embedding `rotary` per element of Q and K over tp, the per-head norms a norm's bytes
/// per element of the Q and K (and V) widths over tp.
public struct ElementwiseOps: Sendable, Hashable {
    /// Norms over the hidden width.
    public var norms: Double
    /// Residual adds over the hidden width.
    public var residualAdds: Double
    /// The MLP's activation function (with the gating multiply of a gated MLP).
    public var activation: Bool
    /// Rotary embedding of Q and K (priced only for rotary models).
    public var rotary: Bool
    /// The per-head norms on Q and K (and V) (priced only for models that have them: Qwen3's
    /// `q_norm`/`k_norm`, MaxText's `query_norm`/`key_norm`/`value_norm` at 76bd53b0).
    public var headNorms: Bool

    public init(norms: Double, residualAdds: Double, activation: Bool, rotary: Bool, headNorms: Bool) {
        self.norms = norms
        self.residualAdds = residualAdds
        self.activation = activation
        self.rotary = rotary
        self.headNorms = headNorms
    }

    /// A layer's forward as Loom prices it: two norms and two residual adds on [tokens, h], the
    /// activation, rotary embedding, the per-head norms.
    public static let layerForward = ElementwiseOps(norms: 2, residualAdds: 2, activation: true, rotary: true, headNorms: true)
    /// Nothing re-run.
    public static let nothing = ElementwiseOps(norms: 0, residualAdds: 0, activation: false, rotary: false, headNorms: false)

    /// HBM bytes of one op of each kind.
    public struct PerOpBytes: Sendable, Hashable {
        public var norm: Double
        public var residualAdd: Double
        public var activation: Double
        public var rotary: Double
        public var headNorms: Double
    }

    /// HBM bytes these ops move: sum over the kinds of count x bytes of one op.
    public func bytes(_ b: PerOpBytes) -> Double {
        norms * b.norm + residualAdds * b.residualAdd + (activation ? b.activation : 0) + (rotary ? b.rotary : 0)
            + (headNorms ? b.headNorms : 0)
    }
}

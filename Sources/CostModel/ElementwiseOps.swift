/// The memory-bound (elementwise) ops of one transformer layer, counted by kind: what the
/// forward runs (`layerForward`), and what a recomputation policy runs again before the backward
/// (`RematPolicy.Recomputed.elementwise`). One count serves both, so a policy's recomputed bytes
/// are a subset of the forward's, priced by the same `KernelTraffic` bytes per element.
///
/// Per op kind, the HBM bytes of one micro-batch on one chip (`PerOpBytes`, `LayerTimeModel`):
/// a norm or a residual add streams `KernelTraffic.rmsNorm`/`layerNorm` or `residualAdd` bytes
/// per element of [tokens, h] (split by sequence parallelism), the activation
/// `gatedActivation`/`plainActivation` per element of the MLP's intermediate width over tp, the
/// rotary embedding `rotary` per element of Q and K over tp.
public struct ElementwiseOps: Sendable, Hashable {
    /// Norms over the hidden width.
    public var norms: Double
    /// Residual adds over the hidden width.
    public var residualAdds: Double
    /// The MLP's activation function (with the gating multiply of a gated MLP).
    public var activation: Bool
    /// Rotary embedding of Q and K (priced only for rotary models).
    public var rotary: Bool

    public init(norms: Double, residualAdds: Double, activation: Bool, rotary: Bool) {
        self.norms = norms
        self.residualAdds = residualAdds
        self.activation = activation
        self.rotary = rotary
    }

    /// A layer's forward as Loom prices it: two norms and two residual adds on [tokens, h], the
    /// activation, rotary embedding.
    public static let layerForward = ElementwiseOps(norms: 2, residualAdds: 2, activation: true, rotary: true)
    /// Nothing re-run.
    public static let nothing = ElementwiseOps(norms: 0, residualAdds: 0, activation: false, rotary: false)

    /// HBM bytes of one op of each kind.
    public struct PerOpBytes: Sendable, Hashable {
        public var norm: Double
        public var residualAdd: Double
        public var activation: Double
        public var rotary: Double
    }

    /// HBM bytes these ops move: sum over the kinds of count x bytes of one op.
    public func bytes(_ b: PerOpBytes) -> Double {
        norms * b.norm + residualAdds * b.residualAdd + (activation ? b.activation : 0) + (rotary ? b.rotary : 0)
    }
}

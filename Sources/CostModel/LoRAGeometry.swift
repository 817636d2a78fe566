import Workloads

/// The shapes LoRA adds to one transformer layer (Hu et al. 2021, section 4.1): for every
/// targeted linear layer of `in x out`, adapters `A` (`in x r`) and `B` (`r x out`), so
/// `r (in + out)` trainable parameters and, per token, `2 r (in + out)` forward FLOPs. The
/// targets and widths:
/// - q `h -> a d`, k and v `h -> k d`, o `a d_v -> h` (every attention block: self-attention,
///   and the cross-attention of a decoder layer, whose modules PEFT's names match too);
/// - gate and up `h -> f`, down `f -> h` (gate only in a gated MLP); in an MoE layer every
///   routed and shared expert's MLP matrices.
public struct LoRAGeometry: Sendable, Hashable {
    /// Sums of the targeted linears' input widths and output widths: of one dense layer
    /// (self-attention + MLP); of one MoE layer's attention and shared experts; of its routed
    /// experts (all of them, and the k a token uses); and of a decoder layer's cross-attention.
    public var dense = Widths()
    public var moe = Widths()
    public var experts = Widths()
    public var activeExperts = Widths()
    public var crossAttention = Widths()
    /// The adapters' rank r (0 without adapters).
    public var rank: Double = 0

    /// Summed input and output widths of a set of linear layers.
    public struct Widths: Sendable, Hashable {
        public var inputs: Double = 0
        public var outputs: Double = 0
        public var sum: Double { inputs + outputs }

        static func + (l: Widths, r: Widths) -> Widths { Widths(inputs: l.inputs + r.inputs, outputs: l.outputs + r.outputs) }
        static func * (k: Double, w: Widths) -> Widths { Widths(inputs: k * w.inputs, outputs: k * w.outputs) }
    }

    public init() {}

    public init(geometry g: LayerGeometry, fineTuning: FineTuning) {
        guard fineTuning.method.usesAdapters else { return }
        rank = Double(fineTuning.rank)
        let h = g.hidden
        var attention = Widths()
        for target in fineTuning.targets {
            switch target {
            case .q: attention = attention + Widths(inputs: h, outputs: g.queryWidth)
            case .k: attention = attention + Widths(inputs: h, outputs: g.keyWidth)
            case .v: attention = attention + Widths(inputs: h, outputs: g.valueWidth)
            case .o: attention = attention + Widths(inputs: g.heads * g.vHeadDim, outputs: h)
            default: break
            }
        }
        func mlp(_ width: Double) -> Widths {
            fineTuning.targets.reduce(Widths()) { sum, target in
                switch target {
                case .gate: return g.mlpMatrices == 3 ? sum + Widths(inputs: h, outputs: width) : sum
                case .up: return sum + Widths(inputs: h, outputs: width)
                case .down: return sum + Widths(inputs: width, outputs: h)
                default: return sum
                }
            }
        }
        dense = attention + mlp(g.ffn)
        moe = attention + (g.sharedExpertFFN > 0 ? mlp(g.sharedExpertFFN) : Widths())
        experts = g.experts * mlp(g.expertFFN)
        activeExperts = g.expertsPerToken * mlp(g.expertFFN)
        crossAttention = g.stacks.isEncoderDecoder ? attention : Widths()
    }

    /// Adapter parameters of one GPU's share of `dense` dense layers, `moe` MoE layers and
    /// `decoder` decoder layers (split by TP like the layers they adapt, routed experts by EP).
    public func parameters(dense denseLayers: Double, moe moeLayers: Double, decoder: Double, layout: ParallelLayout) -> Double {
        rank * (denseLayers * dense.sum + moeLayers * (moe.sum + experts.sum / Double(max(layout.ep, 1)))
                + decoder * (dense.sum + crossAttention.sum)) / Double(layout.tp)
    }
}

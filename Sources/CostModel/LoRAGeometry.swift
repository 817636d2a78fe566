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
    /// `dense`, `moe`, `experts` and `crossAttention` counting only the adapter matrices a paged
    /// optimizer pages (`CostModelConstants.pagedStateMinimumElements`): A (`in x r`) when
    /// `r in` reaches the threshold, B (`r x out`) when `r out` does.
    public var pagedDense = Widths()
    public var pagedMoe = Widths()
    public var pagedExperts = Widths()
    public var pagedCrossAttention = Widths()

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
        let r = rank
        let h = g.hidden
        // One targeted linear's widths, whole or (`paged`) only the matrices a paged optimizer pages.
        func linear(_ inputs: Double, _ outputs: Double, paged: Bool) -> Widths {
            guard paged else { return Widths(inputs: inputs, outputs: outputs) }
            let minimum = CostModelConstants.pagedStateMinimumElements
            return Widths(inputs: r * inputs >= minimum ? inputs : 0, outputs: r * outputs >= minimum ? outputs : 0)
        }
        func attention(paged: Bool) -> Widths {
            fineTuning.targets.reduce(Widths()) { sum, target in
                switch target {
                case .q: return sum + linear(h, g.queryWidth, paged: paged)
                case .k: return sum + linear(h, g.keyWidth, paged: paged)
                case .v: return sum + linear(h, g.valueWidth, paged: paged)
                case .o: return sum + linear(g.heads * g.vHeadDim, h, paged: paged)
                default: return sum
                }
            }
        }
        func mlp(_ width: Double, paged: Bool) -> Widths {
            fineTuning.targets.reduce(Widths()) { sum, target in
                switch target {
                case .gate: return g.mlpMatrices == 3 ? sum + linear(h, width, paged: paged) : sum
                case .up: return sum + linear(h, width, paged: paged)
                case .down: return sum + linear(width, h, paged: paged)
                default: return sum
                }
            }
        }
        // A dense layer, an MoE layer's attention and shared experts, its routed experts, and a
        // decoder layer's cross-attention.
        func layer(paged: Bool) -> (Widths, Widths, Widths, Widths) {
            let selfAttention = attention(paged: paged)
            return (selfAttention + mlp(g.ffn, paged: paged),
                    selfAttention + (g.sharedExpertFFN > 0 ? mlp(g.sharedExpertFFN, paged: paged) : Widths()),
                    g.experts * mlp(g.expertFFN, paged: paged),
                    g.stacks.isEncoderDecoder ? selfAttention : Widths())
        }
        (dense, moe, experts, crossAttention) = layer(paged: false)
        (pagedDense, pagedMoe, pagedExperts, pagedCrossAttention) = layer(paged: true)
        activeExperts = g.expertsPerToken * mlp(g.expertFFN, paged: false)
    }

    /// Adapter parameters of one GPU's share of `dense` dense layers, `moe` MoE layers and
    /// `decoder` decoder layers (split by TP like the layers they adapt, routed experts by EP).
    public func parameters(dense denseLayers: Double, moe moeLayers: Double, decoder: Double, layout: ParallelLayout) -> Double {
        rank * (denseLayers * dense.sum + moeLayers * (moe.sum + experts.sum / Double(max(layout.ep, 1)))
                + decoder * (dense.sum + crossAttention.sum)) / Double(layout.tp)
    }

    /// Of those, the parameters in matrices a paged optimizer pages (the rest of its states are
    /// ordinary GPU allocations).
    public func pagedParameters(dense denseLayers: Double, moe moeLayers: Double, decoder: Double,
                                layout: ParallelLayout) -> Double {
        rank * (denseLayers * pagedDense.sum + moeLayers * (pagedMoe.sum + pagedExperts.sum / Double(max(layout.ep, 1)))
                + decoder * (pagedDense.sum + pagedCrossAttention.sum)) / Double(layout.tp)
    }
}

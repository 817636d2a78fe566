import Hardware

/// Time of one decoder layer of an encoder-decoder model (T5) for one micro-batch of b
/// sequences with S input and T target tokens (`ParallelLayout.seq`, `decoderSeq`): a causal
/// self-attention layer with its MLP over the T target tokens (`LayerTimeModel.layer`), plus the
/// cross-attention block (Vaswani et al. 2017, section 3.2.3; Raffel et al. 2020, section 2.1):
/// - Q `bT x h -> a d` and output `a d -> h` over the target tokens, K and V `bS x h -> 2 k d`
///   over the encoder's output, all split by TP like self-attention (column- then row-parallel);
/// - the core over T queries and S keys, unmasked (`AttentionCoreTime`, causal false);
/// - one norm and one residual add over the target tokens;
/// - TP: one all-reduce of the block's output forward (bT x h), and backward the all-reduces of
///   the gradients flowing to the decoder's hidden state (bT x h) and to the encoder's output
///   (bS x h), which feeds the column-parallel K/V projections (Megatron's f operator).
public enum DecoderLayerTime {
    public static func layer(geometry g: LayerGeometry, layout: ParallelLayout, recipe: TrainingRecipe,
                             cluster: ClusterTopology, placement: RankPlacement) -> LayerTime {
        var decoderLayout = layout
        decoderLayout.seq = layout.decoderSeq
        var causal = g
        causal.stacks.mask = .causal
        var time = LayerTimeModel.layer(geometry: causal, moe: false, layout: decoderLayout, recipe: recipe,
                                        cluster: cluster, placement: placement)
        let cross = crossAttention(geometry: g, layout: layout, recipe: recipe, cluster: cluster, placement: placement)
        time.forward += cross.forward
        time.backward += cross.backward
        time.recompute += cross.recompute
        time.tpCommForward += cross.tpCommForward
        time.tpCommBackward += cross.tpCommBackward
        time.linearForward += cross.linearForward
        time.linearForwardFLOPs += cross.linearForwardFLOPs
        time.modelFLOPs += cross.modelFLOPs
        time.hardwareFLOPs += cross.hardwareFLOPs
        return FineTuneTime.adjusted(time, geometry: g, kind: .decoder, layout: layout, recipe: recipe, cluster: cluster)
    }

    /// The cross-attention block alone.
    public static func crossAttention(geometry g: LayerGeometry, layout: ParallelLayout, recipe: TrainingRecipe,
                                      cluster: ClusterTopology, placement: RankPlacement) -> LayerTime {
        let acc = cluster.accelerator
        let t = Double(layout.tp)
        let b = Double(layout.microBatch)
        let inputTokens = b * Double(layout.seq)
        let targetTokens = b * Double(layout.decoderSeq)
        let h = g.hidden
        let outputWidth = g.heads * g.vHeadDim
        let linear = MatmulTime.seconds(m: targetTokens, n: g.queryWidth / t, k: h, accelerator: acc)
            + MatmulTime.seconds(m: inputTokens, n: (g.keyWidth + g.valueWidth) / t, k: h, accelerator: acc)
            + MatmulTime.seconds(m: targetTokens, n: h, k: outputWidth / t, accelerator: acc)
        let linearFLOPs = 2 * h * (targetTokens * (g.queryWidth + outputWidth) + inputTokens * (g.keyWidth + g.valueWidth)) / t
        let core = AttentionCoreTime(queries: Double(layout.decoderSeq), keys: Double(layout.seq), batch: b * g.heads / t,
                                     qkHeadDim: g.qkHeadDim, vHeadDim: g.vHeadDim, recipe: recipe,
                                     accelerator: acc, mask: .bidirectional)
        let kernels = recipe.kernels
        let hiddenBytes = targetTokens * kernels.hiddenBytesPerToken(hidden: h, norm: g.norm) / 2
            / (layout.sequenceParallel ? t : 1)
        let elementwise = MatmulTime.memoryBoundSeconds(bytes: hiddenBytes, accelerator: acc)

        var time = LayerTime()
        time.linearForward = linear
        time.linearForwardFLOPs = linearFLOPs
        time.forward = linear + core.forward + elementwise
        time.backward = 2 * linear + core.backward + CostModelConstants.backwardElementwiseByteFactor * elementwise
        switch recipe.recompute {
        case .none: time.recompute = 0
        case .selective: time.recompute = core.forward
        case .full: time.recompute = time.forward
        }
        if layout.tp > 1 {
            let a = recipe.precision.activationBytes
            let group = placement.tensorGroup
            let target = CollectiveCost.seconds(.allReduce, bytes: targetTokens * h * a, group: group, cluster: cluster)
            let input = CollectiveCost.seconds(.allReduce, bytes: inputTokens * h * a, group: group, cluster: cluster)
            time.tpCommForward = target * (recipe.recompute == .full ? 2 : 1)
            time.tpCommBackward = target + input
        }
        time.modelFLOPs = 3 * (linearFLOPs + core.flops)
        let recomputeFLOPs: Double
        switch recipe.recompute {
        case .none: recomputeFLOPs = 0
        case .selective: recomputeFLOPs = core.flops
        case .full: recomputeFLOPs = linearFLOPs + core.flops
        }
        time.hardwareFLOPs = time.modelFLOPs + recomputeFLOPs
        return time
    }
}

import Hardware

/// What LoRA and QLoRA change in one layer's time for one micro-batch (Hu et al. 2021;
/// Dettmers et al. 2023):
/// - the base weights are frozen: the backward still computes the gradient of each linear
///   layer's input but not of its weight, so the backward loses one forward's worth of linear
///   GEMMs (`LayerTime.linearForward`; model FLOPs lose `linearForwardFLOPs`, the accounting
///   NeMo's LoRA TFLOP/s use), and under an 8- or 4-bit recipe the forward does not write the
///   transposed copy of each input that the weight gradient would read
///   (`LayerTime.weightGradientInputCopy`);
/// - the adapters add, per targeted linear `in x out`, the GEMMs `x A` (tokens x r x in) and
///   `(x A) B` (tokens x out x r) forward, twice that backward (input and weight gradients), again
///   under full recomputation;
/// - QLoRA dequantises every NF4 weight matrix to 16 bits before each forward and each backward
///   GEMM (and each recomputed forward): read its NF4 bytes, write 2 bytes per weight, at HBM
///   bandwidth (bitsandbytes `dequantize_4bit`).
/// `freeze` trains the layers and leaves them unchanged.
public enum FineTuneTime {
    /// Which kind of layer is adjusted (its adapters and matrices differ).
    public enum LayerKind: Sendable { case dense, moe, decoder }

    public static func adjusted(_ base: LayerTime, geometry g: LayerGeometry, kind: LayerKind, layout: ParallelLayout,
                                recipe: TrainingRecipe, cluster: ClusterTopology) -> LayerTime {
        guard recipe.fineTuning.method.usesAdapters else { return base }
        let acc = cluster.accelerator
        let t = Double(layout.tp)
        var time = base
        time.backward -= time.linearForward
        // No weight gradient: the transposed low-precision copy of each input is not written
        // (`LayerTime.weightGradientInputCopy`), in the forward or in its full recomputation.
        time.forward -= time.weightGradientInputCopy
        if recipe.recompute == .full && recipe.effectiveRemat == nil { time.recompute -= time.weightGradientInputCopy }
        time.modelFLOPs -= time.linearForwardFLOPs
        time.hardwareFLOPs -= time.linearForwardFLOPs

        let lora = LoRAGeometry(geometry: g, fineTuning: recipe.fineTuning)
        let widths: LoRAGeometry.Widths
        let matrices: Double
        switch kind {
        case .dense:
            widths = lora.dense
            matrices = g.attentionWeights + g.denseMLPWeights
        case .moe:
            widths = lora.moe + lora.activeExperts
            matrices = g.attentionWeights + g.routerWeights + g.sharedExpertWeights
                + g.experts * g.expertWeights / Double(max(layout.ep, 1))
        case .decoder:
            widths = lora.dense + lora.crossAttention
            matrices = 2 * g.attentionWeights + g.denseMLPWeights
        }
        let seq = kind == .decoder ? layout.decoderSeq : layout.seq
        let tokens = Double(layout.microBatch) * Double(seq) / Double(layout.cp)
        let r = lora.rank
        let adapterForward = MatmulTime.seconds(m: tokens, n: r, k: widths.inputs / t, accelerator: acc)
            + MatmulTime.seconds(m: tokens, n: widths.outputs / t, k: r, accelerator: acc)
        let adapterFLOPs = 2 * tokens * r * widths.sum / t
        time.forward += adapterForward
        time.linearForward += adapterForward
        time.backward += 2 * adapterForward
        time.modelFLOPs += 3 * adapterFLOPs
        time.hardwareFLOPs += 3 * adapterFLOPs
        if recipe.recompute == .full {
            time.recompute += adapterForward
            time.hardwareFLOPs += adapterFLOPs
        }

        if recipe.fineTuning.method == .qlora {
            let bytes = matrices / t * NF4Dequantisation.trafficBytesPerElement(recipe: recipe)
            let dequantise = MatmulTime.memoryBoundSeconds(bytes: bytes, accelerator: acc)
            time.forward += dequantise
            time.backward += dequantise
            if recipe.recompute == .full { time.recompute += dequantise }
        }
        return time
    }
}

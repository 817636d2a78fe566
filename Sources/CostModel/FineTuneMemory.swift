import Workloads

/// Activation memory that LoRA and QLoRA add to a stage (Hu et al. 2021; Dettmers et al. 2023):
/// - each adapter saves its rank-r intermediate `x A` for the gradient of `B` (r values per
///   token and targeted linear, activation dtype); its input `x` is the frozen layer's input,
///   already counted among the layer's stored tensors (`ActivationMemory`). Under full
///   recomputation they are recomputed with the layer and not kept;
/// - a frozen linear layer without an adapter needs no saved input (its backward computes only
///   the input gradient, from the weight): PyTorch autograd saves a matmul's input only when the
///   weight's gradient is computed (`should_compute_output`). So the inputs of the QKV, output,
///   first-MLP and second-MLP projections that `ActivationMemory` counts are dropped when none of
///   their linears is targeted (the attention core's Q, K, V and the activation function's inputs
///   stay: their own backward needs them);
/// - QLoRA dequantises one weight matrix at a time into a 16-bit buffer for its GEMM: the
///   largest matrix of a layer, once.
public enum FineTuneMemory {
    public static func activationBytes(stage: Int, geometry g: LayerGeometry, model: TransformerModel,
                                       layout: ParallelLayout, recipe: TrainingRecipe) -> Double {
        let parts = activationParts(stage: stage, geometry: g, model: model, layout: layout, recipe: recipe)
        return parts.saved + parts.dequantization
    }

    /// The adapters' saved bytes and QLoRA's dequantisation buffer, which is live only while a
    /// layer's GEMMs run (its forward, recomputation or backward), not while the loss is
    /// (`CachingAllocatorPeaks`: the output layer is not quantised).
    public static func activationParts(stage: Int, geometry g: LayerGeometry, model: TransformerModel,
                                       layout: ParallelLayout, recipe: TrainingRecipe) -> (saved: Double, dequantization: Double) {
        let tuning = recipe.fineTuning
        guard tuning.method.usesAdapters else { return (0, 0) }
        let layers = StageLayers(stage: stage, geometry: g, model: model, layout: layout)
        let a = recipe.precision.activationBytes
        var bytes = 0.0
        if recipe.recompute != .full {
            let inFlight = ActivationMemory.layerMicroBatchesInFlight(stage: stage, layout: layout, layersOnStage: 1)
            let b = Double(layout.microBatch)
            let inputTokens = b * Double(layout.seq) / Double(layout.cp)
            let targetTokens = b * Double(layout.decoderSeq)
            let targets = Double(tuning.targets.filter { $0 != .gate || g.mlpMatrices == 3 }.count)
            let attentionTargets = Double(tuning.targets.filter { LoRATarget.attention.contains($0) }.count)
            let perLayer = targets * Double(tuning.rank) * a - unsavedInputs(geometry: g, tuning: tuning, layout: layout,
                                                                               activationBytes: a)
            bytes = inFlight * (inputTokens * Double(layers.encoder) * perLayer
                + targetTokens * Double(layers.decoder) * (perLayer + attentionTargets * Double(tuning.rank) * a))
        }
        var dequantization = 0.0
        if tuning.method == .qlora && layers.total > 0 && bytes >= 0 {
            let largest = max(g.hidden * max(g.queryWidth, g.ffn), g.hidden * g.expertFFN) / Double(layout.tp)
            dequantization = largest * a
        }
        return (bytes, dequantization)
    }

    /// Bytes per token and layer of the projection inputs `ActivationMemory` counts that a frozen
    /// layer without adapters on those projections does not keep.
    static func unsavedInputs(geometry g: LayerGeometry, tuning: FineTuning, layout: ParallelLayout,
                              activationBytes a: Double) -> Double {
        let t = Double(layout.tp)
        let has = Set(tuning.targets)
        var bytes = 0.0
        if has.isDisjoint(with: [.q, .k, .v]) { bytes += a * g.hidden / (layout.sequenceParallel ? t : 1) }
        if !has.contains(.o) { bytes += a * g.heads * g.vHeadDim / t }
        if has.isDisjoint(with: [.gate, .up]) { bytes += a * g.hidden / (layout.sequenceParallel ? t : 1) }
        if !has.contains(.down) { bytes += a * g.ffn / t }
        return bytes
    }
}

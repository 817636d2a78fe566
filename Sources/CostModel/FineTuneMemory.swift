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
///   largest matrix of a layer, once (twice where it is cast after dequantising,
///   `NF4Dequantisation`);
/// - with adapter dropout (PEFT's `lora_dropout` > 0; LitGPT's configs 0.05-0.1), each adapter
///   computes `lora_A(dropout(x))`: `native_dropout` keeps its bool mask (1 byte an element) and
///   `lora_A` keeps the dropped copy (a bytes), per adapter, where without dropout the adapters of
///   one input share `x` itself; the frozen base layer keeps nothing, so `x` is no longer saved
///   (`dropoutBytesPerToken`). Under full recomputation, the one recomputed layer's.
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
        let keepsAll = baseKeepsInputs(recipe)
        let fusedQKV = recipe.fusedQKVAdapter == true
        if recipe.recompute != .full {
            let inFlight = ActivationMemory.layerMicroBatchesInFlight(stage: stage, layout: layout, layersOnStage: 1)
            let b = Double(layout.microBatch)
            let inputTokens = b * Double(layout.seq) / Double(layout.cp)
            let targetTokens = b * Double(layout.decoderSeq)
            let targets = Double(tuning.targets.filter { $0 != .gate || g.mlpMatrices == 3 }.count)
            let attentionTargets = Double(tuning.targets.filter { LoRATarget.attention.contains($0) }.count)
            let perLayer = targets * Double(tuning.rank) * a
                - (keepsAll ? 0 : unsavedInputs(geometry: g, tuning: tuning, layout: layout, activationBytes: a))
            bytes = inFlight * (inputTokens * Double(layers.encoder) * perLayer
                + targetTokens * Double(layers.decoder) * (perLayer + attentionTargets * Double(tuning.rank) * a))
            if tuning.dropsOutInputs {
                bytes += inFlight * (inputTokens * Double(layers.encoder) + targetTokens * Double(layers.decoder))
                    * dropoutBytesPerToken(geometry: g, tuning: tuning, layout: layout, activationBytes: a,
                                           baseKeepsInputs: keepsAll, fusedQKV: fusedQKV)
            }
        } else if tuning.dropsOutInputs && layers.total > 0 {
            // The recomputed layer's adapters, live while it is differentiated.
            let tokens = Double(layout.microBatch) * Double(layout.seq) / Double(layout.cp)
            bytes = tokens * dropoutBytesPerToken(geometry: g, tuning: tuning, layout: layout, activationBytes: a,
                                                  baseKeepsInputs: keepsAll, fusedQKV: fusedQKV)
        }
        var dequantization = 0.0
        if tuning.method == .qlora && layers.total > 0 && bytes >= 0 {
            let largest = max(g.hidden * max(g.queryWidth, g.ffn), g.hidden * g.expertFFN) / Double(layout.tp)
            dequantization = largest * NF4Dequantisation.bufferBytesPerElement(recipe: recipe)
        }
        return (bytes, dequantization)
    }

    /// bitsandbytes' 4-bit linears keep every input (`TrainingRecipe.quantisedLinearsKeepInputs`).
    static func baseKeepsInputs(_ recipe: TrainingRecipe) -> Bool {
        recipe.fineTuning.method == .qlora && recipe.quantisedLinearsKeepInputs == true
    }

    /// Bytes per token and layer that adapter dropout adds: every adapter's mask and dropped input,
    /// (1 + a) x its input width, less the shared input of each adapted group (Q/K/V, output, the
    /// MLP's input projections, its output projection), a x that width, which `ActivationMemory`
    /// counts once and nothing keeps any more, unless the frozen base layer keeps it itself
    /// (`baseKeepsInputs`: bitsandbytes' `MatMul4Bit` stores its input `A` in `ctx.tensors`
    /// whenever an input needs a gradient, so under QLoRA the undropped `x` stays beside each
    /// adapter's dropped copy). With the Q/K/V adapters fused into one (`fusedQKV`:
    /// `TrainingRecipe.fusedQKVAdapter`), the targeted ones among q, k and v count one mask and one
    /// copy between them. Widths as `unsavedInputs` takes them.
    static func dropoutBytesPerToken(geometry g: LayerGeometry, tuning: FineTuning, layout: ParallelLayout,
                                     activationBytes a: Double, baseKeepsInputs: Bool = false,
                                     fusedQKV: Bool = false) -> Double {
        guard tuning.dropsOutInputs else { return 0 }
        let widths = InputWidths(geometry: g, layout: layout)
        let groups = TargetGroups(tuning.targets)
        func width(_ target: LoRATarget) -> Double {
            switch target {
            case .q, .k, .v, .up: return widths.hidden
            case .gate: return g.mlpMatrices == 3 ? widths.hidden : 0
            case .o: return widths.attentionOutput
            case .down: return widths.mlpOutput
            }
        }
        var copies = 0.0
        for target in LoRATarget.allLinear where tuning.targets.contains(target) {
            if fusedQKV && (target == .q || target == .k || target == .v) { continue }
            copies += (1 + a) * width(target)
        }
        if fusedQKV && groups.qkv { copies += (1 + a) * widths.hidden }
        if baseKeepsInputs { return copies }
        var shared = 0.0
        if groups.qkv { shared += a * widths.hidden }
        if groups.o { shared += a * widths.attentionOutput }
        if groups.gateUp { shared += a * widths.hidden }
        if groups.down { shared += a * widths.mlpOutput }
        return copies - shared
    }

    /// Bytes per token and layer of the projection inputs `ActivationMemory` counts that a frozen
    /// layer without adapters on those projections does not keep.
    static func unsavedInputs(geometry g: LayerGeometry, tuning: FineTuning, layout: ParallelLayout,
                              activationBytes a: Double) -> Double {
        let widths = InputWidths(geometry: g, layout: layout)
        let groups = TargetGroups(tuning.targets)
        var bytes = 0.0
        if !groups.qkv { bytes += a * widths.hidden }
        if !groups.o { bytes += a * widths.attentionOutput }
        if !groups.gateUp { bytes += a * widths.hidden }
        if !groups.down { bytes += a * widths.mlpOutput }
        return bytes
    }

    /// Per-rank input widths of the adapted projections: the hidden size (split by TP under
    /// sequence parallelism) for Q/K/V and the MLP's input projections, the attention output and
    /// the MLP width (split by TP) for the output and down projections.
    struct InputWidths {
        var hidden: Double
        var attentionOutput: Double
        var mlpOutput: Double
        init(geometry g: LayerGeometry, layout: ParallelLayout) {
            let t = Double(layout.tp)
            hidden = g.hidden / (layout.sequenceParallel ? t : 1)
            attentionOutput = g.heads * g.vHeadDim / t
            mlpOutput = g.ffn / t
        }
    }

    /// Which input-sharing groups of projections the adapters target (no allocation: the
    /// planner evaluates this for every candidate layout).
    struct TargetGroups {
        var qkv: Bool, o: Bool, gateUp: Bool, down: Bool
        init(_ targets: [LoRATarget]) {
            qkv = targets.contains { $0 == .q || $0 == .k || $0 == .v }
            o = targets.contains(.o)
            gateUp = targets.contains { $0 == .gate || $0 == .up }
            down = targets.contains(.down)
        }
    }
}

import Hardware
import Workloads

/// Per-GPU memory of a layout for every pipeline stage: model states (`ModelStateMemory`),
/// activations (`ActivationMemory`) with the schedule's micro-batches in flight, the first
/// stage's embedding output and the last stage's logits, and the runtime's own share. Where FSDP
/// keeps pipeline stages gathered (torchtitan under PP), the peak is taken over the schedule's
/// backwards, each local stage holding its gathered weights and gradients only for part of the
/// step (`PipelineStageResidency`).
public enum MemoryModel {
    /// Memory of one GPU on pipeline stage `stage` (0-based).
    public static func stage(_ stage: Int, geometry g: LayerGeometry, model: TransformerModel,
                             cluster: ClusterTopology, layout: ParallelLayout, recipe: TrainingRecipe) -> MemoryBreakdown {
        let params = ModelStateMemory.parameters(stage: stage, geometry: g, model: model, layout: layout, recipe: recipe)
        let accounting = ParameterAccounting(params, layout: layout, recipe: recipe)
        var memory = accounting.memory
        let parts = activationParts(stage: stage, geometry: g, model: model, layout: layout, recipe: recipe)
        let tuning = FineTuneMemory.activationParts(stage: stage, geometry: g, model: model, layout: layout, recipe: recipe)
        let fineTune = tuning.saved + tuning.dequantization
        memory.activations = parts.closedForm + fineTune
        // The allocated peak holds the larger of the loss and the layer phase: the recomputed
        // layer with QLoRA's dequantisation buffer, which only a layer's GEMMs use.
        let reservedOnly = CachingAllocatorPeaks.reservedOnlyBytes(live: parts.live + tuning.dequantization, loss: parts.loss)
        memory.reservedOnly = reservedOnly
        if layout.zero >= 3 && layout.pp > 1 && recipe.framework.profile.keepsGatheredWeightsUnderPipeline {
            // The stage's weights (in the compute dtype, beside the shards the GPU keeps) and
            // its gradients stay gathered for the step (optimizer state sharded), each local
            // stage's from its first forward or backward to its last backward
            // (`PipelineStageResidency`).
            var gathered = layout
            gathered.zero = 1
            let whole = ParameterAccounting(params, layout: gathered, recipe: recipe)
            let storedSeparately = accounting.dense.storedWeightBytesPerParameter != accounting.dense.weightBytesPerParameter
            let shards = storedSeparately ? memory.weights : 0
            memory.weights = accounting.unshardedWeightBytes + shards
            memory.gradients = whole.memory.gradients
            if let peak = residencyPeak(stage: stage, layout: layout, parts: parts, accounting: accounting, whole: whole) {
                memory.weights = shards + peak.weights
                memory.gradients = peak.gradients
                memory.activations = peak.activations + parts.other + fineTune
                // The allocated peak: the same walk with the loss counted only beyond the layer
                // phase (live + max(loss - live, 0) = max(live, loss) where the loss is held);
                // walked only where the two phases overlap in the reserve.
                if reservedOnly > 0 {
                    var allocated = parts
                    allocated.loss = max(parts.loss - reservedOnly, 0)
                    let tensors = residencyPeak(stage: stage, layout: layout, parts: allocated, accounting: accounting, whole: whole)
                    memory.reservedOnly = tensors.map { max(peak.total - $0.total, 0) } ?? reservedOnly
                }
            }
        } else {
            memory.weights += accounting.host.gatheredWeightBytes  // `ZeRO3GatheredWeights`
        }
        let units = FSDPUnitMemory.bytes(params: params, accounting: accounting, layout: layout, recipe: recipe)
        memory.weights += units.weights
        memory.gradients += units.gradients
        memory.host = accounting.host.bytes + parts.offloaded
        if recipe.optimizer.isPaged && recipe.offload == .none { memory.pagedStates = accounting.host.bytes }
        memory.gradients += accounting.host.gradientBucketBytes
        if stage == 0 && recipe.strayEmbeddingGradient == true && !accounting.embedding.trainable {
            // A trainable input embedding outside the optimizer keeps its dense gradient
            // (`TrainingRecipe.strayEmbeddingGradient`).
            memory.gradients += g.embeddingElements / Double(layout.tp) * recipe.precision.weightBytes
        }
        if ProgressiveGradients.apply(layout: layout, recipe: recipe) {
            // Gradients allocated as the backward frees the activations (`ProgressiveGradients`):
            // at its end, the first layer's working set.
            let layers = max(StageLayers(stage: stage, geometry: g, model: model, layout: layout).encoder, 1)
            let end = parts.keptPerMicroBatch / Double(layers) + parts.live + parts.other + fineTune / Double(layers)
            let peak = ProgressiveGradients.allocatedPeak(
                statesWithoutGradients: memory.weights + memory.optimizer, gradients: memory.gradients,
                activations: memory.activations, reservedOnly: memory.reservedOnly, endActivations: end)
            memory.reservedOnly = memory.modelStates + memory.activations - peak
        }
        memory.other = otherBytes(activations: memory.activations, cluster: cluster)
        if stage == layout.pp - 1 {
            // The segment the allocator reserves for the merged outputs at the end of the step,
            // up to the device's capacity (`PipelineStageBuffers.mergedOutputBytes`).
            let merged = PipelineStageBuffers.mergedOutputBytes(geometry: g, layout: layout, recipe: recipe)
            memory.other += min(merged, max(capacity(of: cluster) - memory.total, 0))
        }
        return memory
    }

    /// `PipelineStageResidency`'s peak for a stage whose FSDP units stay gathered under PP: its
    /// local stages (the interleaved schedule's chunks) share the stage's layers evenly, the
    /// embedding on the first stage's first chunk and the output layer on the last stage's last.
    /// Nil for encoder-decoder stacks and orders the residency walk does not model.
    static func residencyPeak(stage: Int, layout: ParallelLayout, parts: ActivationParts,
                              accounting: ParameterAccounting, whole: ParameterAccounting) -> PipelineStageResidency.Peak? {
        guard !parts.hasDecoder else { return nil }
        let v = max(layout.vpp, 1)
        let embeddingWeights = accounting.embedding.count * accounting.embedding.weightBytesPerParameter
        let embeddingGradients = whole.embedding.gradientBytes
        let embeddingShards = accounting.embedding.gradientBytes
        let layerWeights = (accounting.unshardedWeightBytes - embeddingWeights) / Double(v)
        let layerGradients = (whole.memory.gradients - embeddingGradients) / Double(v)
        let layerShards = (accounting.memory.gradients - embeddingShards) / Double(v)
        let embeddingChunk = stage == 0 ? 0 : stage == layout.pp - 1 ? v - 1 : -1
        return PipelineStageResidency.peak(
            rank: stage, stages: layout.pp, microBatches: max(layout.microBatchesPerReplica, 1),
            schedule: layout.schedule, chunkCount: v,
            chunk: { c in
                let holds = c == embeddingChunk
                return PipelineStageResidency.Chunk(weights: layerWeights + (holds ? embeddingWeights : 0),
                                                    gradients: layerGradients + (holds ? embeddingGradients : 0),
                                                    shardedGradients: layerShards + (holds ? embeddingShards : 0))
            },
            keptPerChunkMicroBatch: parts.keptPerMicroBatch / Double(v), live: parts.live, loss: parts.loss)
    }

    /// Activation bytes of stage `stage` at its peak: `ActivationParts.closedForm` at the
    /// schedule's micro-batches in flight (`ActivationMemory.layerMicroBatchesInFlight`).
    public static func activationBytes(stage: Int, geometry g: LayerGeometry, model: TransformerModel,
                                       layout: ParallelLayout, recipe: TrainingRecipe) -> Double {
        activationParts(stage: stage, geometry: g, model: model, layout: layout, recipe: recipe).closedForm
    }

    /// The activation bytes of stage `stage` split by what they scale with: what the stage's
    /// layers keep per micro-batch in flight, the one layer live while it is recomputed and
    /// differentiated, the last stage's loss for the micro-batch it differentiates, and the rest
    /// (the decoder stack, the embedding masks, the pipelining runtime's buffers), taken at the
    /// closed-form peak.
    public static func activationParts(stage: Int, geometry g: LayerGeometry, model: TransformerModel,
                                       layout: ParallelLayout, recipe: TrainingRecipe) -> ActivationParts {
        let stack = StageLayers(stage: stage, geometry: g, model: model, layout: layout)
        let layers = stack.encoder
        let moeLayers = stack.moe
        let denseLayers = layers - moeLayers
        let tokens = Double(layout.microBatch) * Double(layout.seq) / Double(layout.cp)
        let keyLength = Double(layout.seq)
        let inFlight = ActivationMemory.layerMicroBatchesInFlight(stage: stage, layout: layout, layersOnStage: 1)
        let denseFull = ActivationMemory.bytesPerTokenPerLayer(geometry: g, moe: false, layout: layout, recipe: recipe, keyLength: keyLength)
        let moeFull = moeLayers > 0
            ? ActivationMemory.bytesPerTokenPerLayer(geometry: g, moe: true, layout: layout, recipe: recipe, keyLength: keyLength) : 0
        let liveLayer: Double = tokens * max(moeLayers > 0 ? moeFull : 0, denseLayers > 0 ? denseFull : 0)
            + RingAttentionBuffers.gatheredKeyValueBytes(geometry: g, layout: layout, recipe: recipe)
        var parts = ActivationParts(inFlight: inFlight)
        if let kept = keptBytesPerTokenPerLayer(geometry: g, layout: layout, recipe: recipe, hasMoE: moeLayers > 0) {
            // A per-tensor policy (a JAX remat policy, torchtitan's per-op checkpointing): what
            // it keeps of every layer, plus one layer's full activations live while that layer
            // is recomputed and differentiated.
            let perToken: Double = Double(denseLayers) * kept.dense + Double(moeLayers) * kept.moe
            parts.keptPerMicroBatch = tokens * perToken
            parts.live = liveLayer
        } else {
            switch recipe.recompute {
            case .full:
                // Stored layer inputs, plus one layer's full activations live while it is recomputed.
                let stored = ActivationMemory.fullRecomputeBytesPerTokenPerLayer(geometry: g, layout: layout, recipe: recipe)
                parts.keptPerMicroBatch = tokens * Double(layers) * stored
                parts.live = liveLayer
            case .none, .selective:
                parts.keptPerMicroBatch = tokens * (Double(denseLayers) * denseFull + Double(moeLayers) * moeFull)
            }
        }
        if recipe.activationOffload == true && layers > 1 {
            // Offloaded activations (`TrainingRecipe.activationOffload`): the GPU keeps the two
            // layers in transit, the one copied out behind the next layer's forward and the one
            // copied back ahead of its backward; the rest of what the layers keep is in host memory.
            let onGPU = 2 * parts.keptPerMicroBatch / Double(layers)
            parts.offloaded = max(inFlight * parts.keptPerMicroBatch - onGPU, 0)
            parts.keptPerMicroBatch = min(parts.keptPerMicroBatch, onGPU / max(inFlight, 1))
        }
        var bytes = DecoderActivationMemory.bytes(decoderLayers: stack.decoder, geometry: g, layout: layout, recipe: recipe,
                                                  layerMicroBatches: inFlight)
        parts.hasDecoder = stack.decoder > 0
        let a = recipe.savedActivationBytes
        let t = Double(layout.tp)
        let microBatches = ActivationMemory.microBatchesInFlight(stage: stage, layout: layout)
        if stage == 0 {
            // The embedding dropout's mask per micro-batch in flight (Korthikanti 4.3: sbhp/t with
            // SP); its output is the first layer's input, already counted there.
            let embedding = CostModelConstants.dropoutMaskBytes * g.hidden
            bytes += tokens * microBatches * (layout.sequenceParallel ? embedding / t : embedding)
        }
        if stage == layout.pp - 1 && g.stacks.outputHead != .none {
            let tokens = g.stacks.isEncoderDecoder ? Double(layout.microBatch) * Double(layout.decoderSeq) : tokens
            // Final norm input and output-layer input (2h + 2h), and what the loss holds per
            // logit (`TrainingRecipe.peakLossBytesPerLogit(tp:)`: Megatron's vocab-parallel cross
            // entropy keeps its fp32 softmax, 4V/t; torchtitan's eager loss peaks at the start of
            // the backward with three fp32 tensors of logits, 12V, and its DTensor loss-parallel
            // one with four, 16V/t; torchtune's compiled chunked loss 2.25V at 8 chunks), for the
            // one micro-batch the last stage holds.
            let profile = recipe.framework.profile
            let normInput = a * g.hidden
            let outputInput = a * g.hidden
            let inputs = layout.sequenceParallel
                ? normInput / t + (profile.savesGatheredLinearInputs ? outputInput : outputInput / t) : normInput + outputInput
            parts.loss = tokens * (inputs + recipe.peakLossBytesPerLogit(tp: layout.tp) * g.vocab / t)
            // A quantised output layer's dequantised weight, live while its GEMM runs (`NF4Dequantisation`).
            parts.loss += NF4Dequantisation.outputLayerBufferBytes(geometry: g, tp: t, recipe: recipe)
            if recipe.fineTuning.method == .qlora && recipe.fp32UnquantizedWeights == true {
                // The output layer upcast to fp32 (`TrainingRecipe.fp32UnquantizedWeights`) runs
                // under autocast on a 16-bit copy of its weight, cast per call (autocast caches
                // casts of leaf tensors that require grad only; this one is frozen) and saved by
                // the linear for the input gradient until the output layer's backward.
                parts.loss += g.vocab * g.hidden / t * recipe.precision.activationBytes
            }
            // The next forward's end, where the loop still holds the previous micro-batch's graph
            // (`HeldPreviousGraph`), when it is above the loss.
            let forwardEnd = HeldPreviousGraph.forwardEndBytes(stage: stage, geometry: g, model: model, layout: layout, recipe: recipe)
            if forwardEnd > 0 { parts.loss = max(parts.loss, tokens * inputs + forwardEnd) }
        }
        bytes += PipelineStageBuffers.bytes(stage: stage, geometry: g, layout: layout, recipe: recipe)
        parts.other = bytes
        return parts
    }

    /// Bytes a dense and an MoE layer keep per token under a per-tensor checkpoint policy: the
    /// recipe's JAX remat policy (`ActivationMemory.rematBytesPerTokenPerLayer`) or torchtitan's
    /// per-op selective checkpointing (`SelectiveOpCheckpoint`); nil under Megatron's
    /// recomputation or none.
    static func keptBytesPerTokenPerLayer(geometry g: LayerGeometry, layout: ParallelLayout, recipe: TrainingRecipe,
                                          hasMoE: Bool) -> (dense: Double, moe: Double)? {
        if let policy = recipe.effectiveRemat, policy != .none {
            func kept(_ moe: Bool) -> Double {
                ActivationMemory.rematBytesPerTokenPerLayer(geometry: g, moe: moe, layout: layout, recipe: recipe, policy: policy)
            }
            return (kept(false), hasMoE ? kept(true) : 0)
        }
        if recipe.usesSelectiveOpCheckpoint {
            func kept(_ moe: Bool) -> Double {
                SelectiveOpCheckpoint.keptBytesPerTokenPerLayer(geometry: g, moe: moe, layout: layout, recipe: recipe)
            }
            return (kept(false), hasMoE ? kept(true) : 0)
        }
        return nil
    }

    /// Runtime context (topology: `reserved_memory_gib`), communication buffers and allocator
    /// fragmentation (`CostModelConstants`).
    public static func otherBytes(activations: Double, cluster: ClusterTopology) -> Double {
        cluster.accelerator.reservedMemoryGiB * gibibyte
            + CostModelConstants.communicationBufferBytes
            + CostModelConstants.allocatorFragmentationFraction * activations
    }

    /// Usable memory of one accelerator, bytes.
    public static func capacity(of cluster: ClusterTopology) -> Double {
        cluster.accelerator.memoryGiB * gibibyte
    }
}

/// 2^30 bytes.
public let gibibyte: Double = 1_073_741_824

/// A stage's activation bytes by what they scale with (`MemoryModel.activationParts`).
public struct ActivationParts: Sendable, Hashable {
    /// Micro-batches in flight at the closed-form peak, in units of the stage's layers
    /// (`ActivationMemory.layerMicroBatchesInFlight` with one layer).
    public var inFlight: Double
    /// Bytes the stage's layers keep for one micro-batch in flight.
    public var keptPerMicroBatch: Double = 0
    /// One layer's activations live while it is recomputed and differentiated (0 without
    /// recomputation), ring attention's gathered keys and values included.
    public var live: Double = 0
    /// The last stage's final-norm and output-layer inputs and its loss at their peak, for the one
    /// micro-batch it differentiates (0 on other stages).
    public var loss: Double = 0
    /// The decoder stack, the embedding masks, the pipelining runtime's buffers and the like, at
    /// the closed-form peak.
    public var other: Double = 0
    /// The stage holds decoder layers (whose bytes `other` counts at the closed-form peak).
    public var hasDecoder = false

    public init(inFlight: Double) {
        self.inFlight = inFlight
    }

    /// Every part at the closed-form peak, as the caching allocator reserves it: the live layer
    /// and the loss both (`CachingAllocatorPeaks`; `MemoryModel.stage` sets the allocated peak).
    public var closedForm: Double { inFlight * keptPerMicroBatch + live + loss + other }
    /// Bytes of kept activations in host memory under `TrainingRecipe.activationOffload` (0
    /// otherwise), off `keptPerMicroBatch`.
    public var offloaded: Double = 0
}

import Hardware
import Workloads

/// Per-GPU memory of a layout for every pipeline stage: model states (`ModelStateMemory`),
/// activations (`ActivationMemory`) with the schedule's micro-batches in flight, the first
/// stage's embedding output and the last stage's logits, and the runtime's own share.
public enum MemoryModel {
    /// Memory of one GPU on pipeline stage `stage` (0-based).
    public static func stage(_ stage: Int, geometry g: LayerGeometry, model: TransformerModel,
                             cluster: ClusterTopology, layout: ParallelLayout, recipe: TrainingRecipe) -> MemoryBreakdown {
        let params = ModelStateMemory.parameters(stage: stage, geometry: g, model: model, layout: layout, recipe: recipe)
        let accounting = ParameterAccounting(params, layout: layout, recipe: recipe)
        var memory = accounting.memory
        if layout.zero >= 3 && layout.pp > 1 && recipe.framework.profile.keepsGatheredWeightsUnderPipeline {
            // The stage's weights (in the compute dtype, beside the shards the GPU keeps) and
            // its gradients stay gathered for the step (optimizer state sharded).
            var gathered = layout
            gathered.zero = 1
            let storedSeparately = accounting.dense.storedWeightBytesPerParameter != accounting.dense.weightBytesPerParameter
            memory.weights = accounting.unshardedWeightBytes + (storedSeparately ? memory.weights : 0)
            memory.gradients = ParameterAccounting(params, layout: gathered, recipe: recipe).memory.gradients
        } else {
            memory.weights += accounting.host.gatheredWeightBytes  // `ZeRO3GatheredWeights`
        }
        let units = FSDPUnitMemory.bytes(params: params, accounting: accounting, layout: layout, recipe: recipe)
        memory.weights += units.weights
        memory.gradients += units.gradients
        memory.host = accounting.host.bytes
        memory.gradients += accounting.host.gradientBucketBytes
        memory.activations = activationBytes(stage: stage, geometry: g, model: model, layout: layout, recipe: recipe)
            + FineTuneMemory.activationBytes(stage: stage, geometry: g, model: model, layout: layout, recipe: recipe)
        memory.other = otherBytes(activations: memory.activations, cluster: cluster)
        return memory
    }

    /// Activation bytes of stage `stage` at its peak.
    public static func activationBytes(stage: Int, geometry g: LayerGeometry, model: TransformerModel,
                                       layout: ParallelLayout, recipe: TrainingRecipe) -> Double {
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
        var bytes: Double
        if let kept = keptBytesPerTokenPerLayer(geometry: g, layout: layout, recipe: recipe, hasMoE: moeLayers > 0) {
            // A per-tensor policy (a JAX remat policy, torchtitan's per-op checkpointing): what
            // it keeps of every layer, plus one layer's full activations live while that layer
            // is recomputed and differentiated.
            let perToken: Double = Double(denseLayers) * kept.dense + Double(moeLayers) * kept.moe
            bytes = tokens * inFlight * perToken + liveLayer
        } else {
            switch recipe.recompute {
            case .full:
                // Stored layer inputs, plus one layer's full activations live while it is recomputed.
                let stored = ActivationMemory.fullRecomputeBytesPerTokenPerLayer(geometry: g, layout: layout, recipe: recipe)
                bytes = tokens * inFlight * Double(layers) * stored + liveLayer
            case .none, .selective:
                bytes = tokens * inFlight * (Double(denseLayers) * denseFull + Double(moeLayers) * moeFull)
            }
        }
        bytes += DecoderActivationMemory.bytes(decoderLayers: stack.decoder, geometry: g, layout: layout, recipe: recipe,
                                               layerMicroBatches: inFlight)
        let a = recipe.precision.activationBytes
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
            bytes += tokens * (inputs + recipe.peakLossBytesPerLogit(tp: layout.tp) * g.vocab / t)
        }
        bytes += PipelineStageBuffers.bytes(stage: stage, geometry: g, layout: layout, recipe: recipe)
        return bytes
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

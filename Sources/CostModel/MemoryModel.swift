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
            // The stage's weights and gradients stay gathered for the step (optimizer state sharded).
            var gathered = layout
            gathered.zero = 1
            let unsharded = ParameterAccounting(params, layout: gathered, recipe: recipe).memory
            memory.weights = unsharded.weights
            memory.gradients = unsharded.gradients
        } else {
            memory.weights += accounting.host.gatheredWeightBytes  // `ZeRO3GatheredWeights`
        }
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
        var bytes: Double
        if let policy = recipe.effectiveRemat, policy != .none {
            // A JAX remat policy: what it keeps of every layer, plus one layer's full activations
            // live while that layer is recomputed and differentiated.
            let dense = ActivationMemory.rematBytesPerTokenPerLayer(geometry: g, moe: false, layout: layout,
                                                                    recipe: recipe, policy: policy)
            let moe = moeLayers > 0 ? ActivationMemory.rematBytesPerTokenPerLayer(
                geometry: g, moe: true, layout: layout, recipe: recipe, policy: policy) : 0
            bytes = tokens * inFlight * (Double(denseLayers) * dense + Double(moeLayers) * moe)
            bytes += tokens * max(moeLayers > 0 ? moeFull : 0, denseLayers > 0 ? denseFull : 0)
        } else {
            switch recipe.recompute {
            case .full:
                // Stored layer inputs, plus one layer's full activations live while it is recomputed.
                let stored = ActivationMemory.fullRecomputeBytesPerTokenPerLayer(geometry: g, layout: layout, recipe: recipe)
                bytes = tokens * inFlight * Double(layers) * stored
                bytes += tokens * max(moeLayers > 0 ? moeFull : 0, denseLayers > 0 ? denseFull : 0)
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
            // logit (`FrameworkProfile.lossPeakBytesPerLogit`: Megatron's vocab-parallel cross
            // entropy keeps its fp32 softmax, 4V/t; torchtitan's eager loss holds logits, their
            // fp32 copy and the log-softmax, 10V/t), for the one micro-batch the last stage holds.
            let inputs = 2 * a * g.hidden
            let loss = recipe.framework.profile.lossPeakBytesPerLogit
            bytes += tokens * ((layout.sequenceParallel ? inputs / t : inputs) + loss * g.vocab / t)
        }
        return bytes
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

import Hardware
import Workloads

/// One pipeline stage's time for one micro-batch (forward + backward, all its layers), split
/// into the parts the step-time breakdown reports. Seconds.
public struct StageTime: Sendable, Hashable {
    public var compute: Double = 0
    public var recompute: Double = 0
    public var tpComm: Double = 0
    public var ppComm: Double = 0
    public var epComm: Double = 0
    public var cpComm: Double = 0
    /// ZeRO-3 / FSDP: the exposed part of the stage's weight all-gathers and gradient
    /// reduce-scatter of one micro-batch (`DataParallelTasks.shardedExposedPerMicroBatch`).
    /// Every stage pays it on every micro-batch, so it lengthens the pipeline bubble too.
    public var dataParallel: Double = 0
    /// The forward pass's share of `dataParallel`.
    public var dataParallelForward: Double = 0
    /// Backward time of one micro-batch: the window in which overlapped DP gradient reduction runs.
    public var backward: Double = 0
    /// Forward time of one micro-batch: the window for an overlapped parameter all-gather.
    public var forward: Double = 0
    public var modelFLOPs: Double = 0
    public var hardwareFLOPs: Double = 0

    public init() {}

    public var total: Double { compute + recompute + tpComm + ppComm + epComm + cpComm + dataParallel }

    /// The forward and the backward pass of one micro-batch as they occupy the GPU: the stage
    /// time without its p2p transfers, split in the proportion of the forward and backward
    /// (with recompute) kernel times, each with its own ZeRO-3 exposure. The windows that
    /// overlapped data-parallel communication hides behind, here and in the simulator.
    public var forwardPass: Double {
        let kernels = forward + backward
        let share = kernels > 0 ? forward / kernels : 1.0 / 3.0
        return (total - ppComm - dataParallel) * share + dataParallelForward
    }

    public var backwardPass: Double { total - ppComm - forwardPass }
}

public enum StageTimeModel {
    /// Time of stage `stage` for one micro-batch, from the dense and MoE layer times.
    public static func stage(_ stage: Int, dense: LayerTime, moe: LayerTime, geometry g: LayerGeometry,
                             model: TransformerModel, cluster: ClusterTopology, layout: ParallelLayout, recipe: TrainingRecipe,
                             placement: RankPlacement) -> StageTime {
        let stack = StageLayers(stage: stage, geometry: g, model: model, layout: layout)
        let layers = stack.total
        let moeCount = Double(stack.moe)
        let denseCount = Double(stack.encoder) - moeCount
        let overlapTP = recipe.overlapsTPComm(in: layout)
        let overlapEP = recipe.overlapsEPComm(in: layout)
        var time = StageTime()
        func add(_ layer: LayerTime, _ count: Double) {
            guard count > 0 else { return }
            time.compute += count * (layer.forward + layer.backward)
            time.forward += count * layer.forward
            time.backward += count * (layer.backward + layer.recompute)
            time.recompute += count * layer.recompute
            var tp = layer.tpCommForward + layer.tpCommBackward
            if overlapTP {
                // Userbuffers/async TP hides the collectives behind the GEMMs of the same pass.
                tp = CostModelConstants.exposedAfterOverlap(layer.tpCommForward, window: layer.linearForward)
                    + CostModelConstants.exposedAfterOverlap(layer.tpCommBackward, window: 2 * layer.linearForward)
            }
            time.tpComm += count * tp
            var ep = layer.epCommForward + layer.epCommBackward
            if overlapEP {
                // EP A2A overlap: a layer's dispatches and combines run behind the same layer's
                // compute for the micro-batch it is paired with (forward with backward).
                ep = CostModelConstants.exposedAfterOverlap(ep, window: layer.forward + layer.backward)
            }
            time.epComm += count * ep
            time.cpComm += count * (layer.cpCommForward + layer.cpCommBackward)
            time.modelFLOPs += count * layer.modelFLOPs
            time.hardwareFLOPs += count * layer.hardwareFLOPs
        }
        add(dense, denseCount)
        add(moe, moeCount)
        if stack.decoder > 0 {
            add(DecoderLayerTime.layer(geometry: g, layout: layout, recipe: recipe, cluster: cluster, placement: placement),
                Double(stack.decoder))
        }

        let acc = cluster.accelerator
        let t = Double(layout.tp)
        let tokens = Double(layout.microBatch) * Double(layout.seq) / Double(layout.cp)
        let a = recipe.precision.activationBytes
        // Tokens through the output head: the decoder's (target) tokens of an encoder-decoder model.
        let outputTokens = g.stacks.isEncoderDecoder ? Double(layout.microBatch) * Double(layout.decoderSeq) : tokens
        if stage == 0 {
            // Embedding lookup (write tokens x h) and its backward scatter-add (read + write fp32),
            // of the input tokens and, for an encoder-decoder model, of the target tokens.
            let embedded = g.stacks.isEncoderDecoder ? tokens + outputTokens : tokens
            let bytes = embedded * g.hidden * (a + 2 * 4) / (layout.sequenceParallel ? t : 1)
            time.compute += MatmulTime.memoryBoundSeconds(bytes: bytes, accelerator: acc)
            if recipe.iotaEmbedding == true {
                // The lookup as a one-hot matmul (`TrainingRecipe.iotaEmbedding`): tokens x V/t by
                // V/t x h forward, the same shape again for the table's gradient backward.
                let lookup = MatmulTime.seconds(m: embedded, n: g.hidden, k: g.vocab / t, accelerator: acc)
                time.compute += 2 * lookup
                time.forward += lookup
                time.backward += lookup
                time.hardwareFLOPs += 2 * 2 * embedded * g.hidden * g.vocab / t
            }
        }
        if stage == layout.pp - 1 && g.stacks.outputHead != .none {
            let tokens = outputTokens
            // The masked-LM head's h x h transform runs before its logits (replicated over TP).
            let transform = g.stacks.maskedLMTransform > 0
                ? MatmulTime.seconds(m: tokens, n: g.hidden, k: g.hidden, accelerator: acc) : 0
            let logits = MatmulTime.seconds(m: tokens, n: g.vocab / t, k: g.hidden, accelerator: acc) + transform
            // Cross entropy over tokens x V/t logits (`KernelTraffic.crossEntropy` bytes per
            // logit forward, twice that backward).
            let crossEntropy = MatmulTime.memoryBoundSeconds(
                bytes: recipe.kernels.crossEntropy * tokens * g.vocab / t, accelerator: acc)
            // A frozen output layer (LoRA, `freeze`) skips its weight-gradient GEMM.
            let passes = recipe.fineTuning.frozenClasses.contains(.embedding) ? 2.0 : 3.0
            // A quantised output layer is dequantised per call, forward and backward (`NF4Dequantisation`).
            let dequantise = NF4Dequantisation.outputLayerSeconds(geometry: g, tp: t, recipe: recipe, accelerator: acc)
            time.compute += passes * logits + (1 + CostModelConstants.backwardElementwiseByteFactor) * crossEntropy
                + 2 * dequantise
            time.forward += logits + crossEntropy + dequantise
            time.backward += (passes - 1) * logits + CostModelConstants.backwardElementwiseByteFactor * crossEntropy
                + dequantise
            let logitFLOPs = 2 * tokens * g.hidden * g.vocab / t + 2 * tokens * g.stacks.maskedLMTransform
            time.modelFLOPs += passes * logitFLOPs
            time.hardwareFLOPs += passes * logitFLOPs
            if layout.tp > 1 {
                // The vocab-parallel cross entropy all-reduces max and sum per token (fp32).
                time.tpComm += 2 * CollectiveCost.seconds(.allReduce, bytes: 4 * tokens, group: placement.tensorGroup,
                                                          cluster: cluster)
            }
        }

        // Pipeline p2p: one activation forward and one gradient backward per micro-batch and
        // virtual stage boundary. With Megatron's scatter/gather optimisation (or sequence
        // parallelism) each TP rank sends 1/t of the tensor and the receiver all-gathers it.
        if layout.pp > 1 {
            // A decoder stage passes on the encoder's output beside the decoder's hidden state.
            let boundaryTokens = stack.decoder > 0 ? tokens + outputTokens : tokens
            let full = boundaryTokens * g.hidden * a
            let split = recipe.framework.profile.scatterGatherP2P || layout.sequenceParallel
            let sendBytes = split ? full / t : full
            var transfer = CollectiveCost.pointToPointSeconds(bytes: sendBytes, sameNode: placement.pipelinePeerOnSameNode,
                                                              cluster: cluster)
            if split && !layout.sequenceParallel && layout.tp > 1 {
                transfer += CollectiveCost.seconds(.allGather, bytes: full, group: placement.tensorGroup, cluster: cluster)
            }
            time.ppComm = 2 * Double(max(layout.vpp, 1)) * transfer
            if layout.vpp > 1 && recipe.framework.profile.overlapsPipelineP2P {
                // Asynchronous sends and receives of the interleaved schedule run behind the
                // passes of the other chunks (Megatron-Core `overlap_p2p_comm`).
                time.ppComm = CostModelConstants.exposedAfterOverlap(time.ppComm, window: time.forward + time.backward)
            }
        }

        // Accumulating this micro-batch's weight gradients into the main-gradient buffer.
        // ZeRO-2/3 keep only a shard of the accumulator, but reduce-scatter every micro-batch.
        // The layers' trainable parameters (the embedding and output layer are not accumulated
        // here: as before the accounting, this term covers the transformer layers only).
        let layerAccounting = ParameterAccounting(
            ModelStateMemory.layerParameters(layers: layers, moeLayers: Int(moeCount), geometry: g, layout: layout),
            layout: layout, recipe: recipe)
        func accumulated(_ group: ParameterGroup) -> Double {
            group.trainable ? group.count * CostModelConstants.gradientAccumulationBytesPerParameter(
                gradientBytes: recipe.precision.gradientBytes, accumulatorBytes: group.gradientBytesPerParameter) : 0
        }
        let accumulatedBytes = recipe.framework.profile.fusesGradientAccumulation
            ? 0 : accumulated(layerAccounting.dense) + accumulated(layerAccounting.expert)
        let accumulate = MatmulTime.memoryBoundSeconds(bytes: accumulatedBytes, accelerator: acc)
        time.compute += accumulate
        time.backward += accumulate

        let efficiency = recipe.framework.profile.pipelineEngineEfficiency
        if efficiency < 1 && layout.pp > 1 {
            let slowdown = 1 / efficiency
            time.compute *= slowdown
            time.recompute *= slowdown
        }
        if layout.zero >= 3 && placement.shardGroup.size > 1 {
            let tasks = DataParallelTasks(stage: stage, geometry: g, model: model, cluster: cluster, layout: layout,
                                          recipe: recipe, placement: placement, costsOptimizerStep: false)
            time.dataParallelForward = tasks.shardedForwardExposed(forward: time.forward)
            time.dataParallel = tasks.shardedExposedPerMicroBatch(forward: time.forward, backward: time.backward)
        }
        if recipe.activationOffload == true {
            let parts = MemoryModel.activationParts(stage: stage, geometry: g, model: model, layout: layout, recipe: recipe)
            let perMicroBatch = parts.offloaded / max(parts.inFlight, 1)
            time.dataParallel += OffloadTime.exposedActivationCopies(bytes: perMicroBatch, cluster: cluster,
                                                                     forward: time.forward, backward: time.backward)
        }
        if recipe.offload == .all {
            // Each rank copies its own ZeRO-3 / FSDP shard from the host; the rest arrives over the
            // data-parallel all-gather (ZeRO-Infinity, Rajbhandari et al. 2021, section 5.1.1;
            // FSDP's CPUOffload moves the sharded FlatParameter).
            let stageWeights = ParameterAccounting(stage: stage, geometry: g, model: model, layout: layout, recipe: recipe)
                .storedWeightBytes
            time.dataParallel += OffloadTime.exposedWeightStreaming(weightBytes: stageWeights, recipe: recipe, cluster: cluster,
                                                                    forward: time.forward, backward: time.backward)
        }
        return time
    }
}

import Hardware
import Workloads

/// Exposed data-parallel communication and the optimizer step.
///
/// - ZeRO 0: all-reduce of the stage's gradients over DP x CP, in the framework's gradient dtype.
/// - ZeRO 1/2 (Megatron's distributed optimizer): reduce-scatter of the gradients, then the
///   all-gather of the updated 16-bit weights (Rajbhandari et al. 2020, section 7: same volume
///   as the all-reduce).
/// - ZeRO 3 / FSDP: per micro-batch, all-gather of the weights for forward and again for
///   backward, reduce-scatter of the gradients (1.5x the all-reduce volume).
/// With `overlapGradReduce` the reduction runs bucket by bucket behind the last micro-batch's
/// backward and only what exceeds that window (at least the last bucket) is exposed; with
/// `overlapParamGather` the weight all-gather hides behind the first micro-batch's forward.
public enum DataParallelTime {
    public struct Result: Sendable, Hashable {
        public var exposedSeconds: Double
        public var optimizerSeconds: Double
    }

    public static func exposed(geometry g: LayerGeometry, model: TransformerModel, cluster: ClusterTopology,
                               layout: ParallelLayout, recipe: TrainingRecipe, placement: RankPlacement, slowest: StageTime,
                               slowestIndex: Int) -> Result {
        // The first stage holds the embedding and usually the most parameters; it also finishes
        // its last backward last, so its reduction is the one on the critical path.
        let accounting = ParameterAccounting(stage: 0, geometry: g, model: model, layout: layout, recipe: recipe)
        let shardGroup = placement.dataContextGroup
        let shards = Double(shardGroup.size)
        let m = Double(max(layout.microBatchesPerReplica, 1))
        var exposed = 0.0

        if shards > 1 {
            let gradients = accounting.gradientReductionBytes
            let weights = accounting.weightGatherBytes
            switch layout.zero {
            case 0:
                let reduce = CollectiveCost.seconds(.allReduce, bytes: gradients, group: shardGroup, cluster: cluster)
                exposed = overlapped(reduce, window: slowest.backward, recipe: recipe, bytes: gradients)
            case 1, 2:
                let reduce = CollectiveCost.seconds(.reduceScatter, bytes: gradients, group: shardGroup, cluster: cluster)
                let gather = CollectiveCost.seconds(.allGather, bytes: weights, group: shardGroup, cluster: cluster)
                exposed = overlapped(reduce, window: slowest.backward, recipe: recipe, bytes: gradients)
                exposed += recipe.effectiveOverlapParamGather
                    ? CostModelConstants.exposedAfterOverlap(gather, window: slowest.forward) : gather
            default:
                let gather = CollectiveCost.seconds(.allGather, bytes: weights, group: shardGroup, cluster: cluster)
                let reduce = CollectiveCost.seconds(.reduceScatter, bytes: gradients, group: shardGroup, cluster: cluster)
                if recipe.effectiveOverlapParamGather {
                    exposed = m * (CostModelConstants.exposedAfterOverlap(gather, window: slowest.forward)
                        + CostModelConstants.exposedAfterOverlap(gather + reduce, window: slowest.backward))
                } else {
                    exposed = m * (2 * gather + reduce)
                }
            }
        }
        if model.tiedEmbeddings && layout.pp > 1 {
            // Megatron all-reduces the embedding gradient between the first and last stages.
            let bytes = g.embeddingElements / Double(layout.tp)
                * (accounting.groups.first { $0.kind == .embedding }?.gradientReduceBytesPerParameter ?? 0)
            exposed += CollectiveCost.pointToPointSeconds(bytes: bytes, sameNode: false, cluster: cluster) * 2
        }

        let optimizer = MatmulTime.memoryBoundSeconds(
            bytes: accounting.updatedParameters * CostModelConstants.optimizerStepBytesPerParameter,
                                                      accelerator: cluster.accelerator)
        return Result(exposedSeconds: exposed, optimizerSeconds: optimizer)
    }

    /// Exposed part of a gradient reduction of `seconds` that may overlap a backward `window`.
    static func overlapped(_ seconds: Double, window: Double, recipe: TrainingRecipe, bytes: Double) -> Double {
        guard recipe.effectiveOverlapGradReduce else { return seconds }
        // The last bucket is reduced after the backward ends: it cannot overlap.
        let lastBucket = seconds * min(1, CostModelConstants.communicationBufferBytes / max(bytes, 1))
        return lastBucket + CostModelConstants.exposedAfterOverlap(seconds - lastBucket, window: window)
    }
}

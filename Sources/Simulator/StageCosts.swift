import CostModel
import Hardware
import Workloads

/// Durations of one pipeline rank's tasks, taken from the analytic cost model so that the
/// simulation and `Estimator` agree on every per-micro-batch figure and differ only in how the
/// schedule composes them.
public struct StageCosts: Sendable, Hashable {
    /// One forward pass of one micro-batch through one model chunk (seconds), including the
    /// exposed TP/CP/EP communication of that pass (and ZeRO-3 parameter gathers).
    public var forward: Double = 0
    /// One backward pass of one micro-batch through one model chunk, including recomputation.
    public var backward: Double = 0
    /// One activation (or gradient) transfer to the neighbouring rank.
    public var p2p: Double = 0
    /// Per micro-batch and all chunks: the TP/CP/EP (and ZeRO-3) communication folded into the passes.
    public var inlineCommunication: Double = 0
    /// Gradient reduction over DP x CP: the collective, its whole-buffer time, and its buckets.
    public var gradientReduction: CollectiveKind?
    public var gradientReductionSeconds: Double = 0
    /// Buckets per model chunk when overlapped, and the time of one bucket.
    public var bucketsPerChunk: Int = 1
    public var bucketSeconds: Double = 0
    /// Whether the reduction runs bucket by bucket behind the last backward
    /// (`TrainingRecipe.effectiveOverlapGradReduce`) or after the pipeline drains.
    public var overlapsGradientReduction = false
    /// Megatron's all-reduce of the tied embedding's gradient between the first and last rank.
    public var embeddingAllReduceSeconds: Double = 0
    public var optimizerSeconds: Double = 0
    /// ZeRO-1/2 all-gather of the updated weights, the part not hidden behind the next forward.
    public var paramGatherSeconds: Double = 0
    /// ZeRO-3 / FSDP: the all-gather of one chunk's weights before each forward and each backward
    /// pass, and the reduce-scatter of its gradients after each backward (dp stream).
    public var perPassParameterGather: Double = 0
    public var perPassGradientScatter: Double = 0
    /// Whether the gather is prefetched while the previous pass computes (FSDP's forward/backward
    /// prefetch, `overlapParamGather`), or issued only when the stream is idle.
    public var prefetchesParameters = false

    public init() {}
}

public enum StageCostModel {
    /// Costs of every pipeline rank, first to last.
    ///
    /// A rank's per-micro-batch time T (StageTime.total less its p2p share) is split into forward
    /// and backward in the proportion of the forward and backward (with recompute) kernel times,
    /// then divided over the v model chunks, so that m x (F + B) x v + p2p equals m x T exactly.
    /// The p2p time per transfer is StageTime.ppComm / 2v: one `CollectiveCost.pointToPointSeconds`
    /// plus, with the scatter/gather optimisation, the receiver's NVLink all-gather.
    public static func costs(model: TransformerModel, cluster: ClusterTopology, layout: ParallelLayout,
                             recipe: TrainingRecipe) -> [StageCosts] {
        let geometry = LayerGeometry(model: model)
        let placement = RankPlacement(layout: layout, gpusPerNode: cluster.acceleratorsPerNode)
        let (dense, moe) = LayerTimeModel.layers(geometry: geometry, layout: layout, recipe: recipe, cluster: cluster, placement: placement)
        let v = Double(max(layout.vpp, 1))
        let shardGroup = placement.dataContextGroup
        let shards = Double(shardGroup.size)
        let buffer = CostModelConstants.communicationBufferBytes

        return (0..<max(layout.pp, 1)).map { stage in
            let time = StageTimeModel.stage(stage, dense: dense, moe: moe, geometry: geometry, model: model,
                                            cluster: cluster, layout: layout, recipe: recipe, placement: placement)
            let accounting = ParameterAccounting(stage: stage, geometry: geometry, model: model, layout: layout,
                                                 recipe: recipe)
            var costs = StageCosts()
            let passes = time.total - time.ppComm
            let kernels = time.forward + time.backward
            let forwardShare = kernels > 0 ? time.forward / kernels : 1.0 / 3.0
            let forward = passes * forwardShare
            let backward = passes - forward
            costs.overlapsGradientReduction = recipe.effectiveOverlapGradReduce
            costs.inlineCommunication = time.tpComm + time.cpComm + time.epComm
            costs.p2p = layout.pp > 1 ? time.ppComm / (2 * v) : 0

            if shards > 1 {
                let gradients = accounting.gradientReductionBytes
                let weights = accounting.weightGatherBytes
                switch layout.zero {
                case 0, 1, 2:
                    let kind: CollectiveKind = layout.zero == 0 ? .allReduce : .reduceScatter
                    costs.gradientReduction = kind
                    costs.gradientReductionSeconds = CollectiveCost.seconds(kind, bytes: gradients, group: shardGroup,
                                                                            cluster: cluster)
                    let perChunk = gradients / v
                    let buckets = max(1, (perChunk / buffer).rounded(.up))
                    costs.bucketsPerChunk = buckets < 1e6 ? Int(buckets) : 1_000_000
                    costs.bucketSeconds = CollectiveCost.seconds(kind, bytes: perChunk / Double(costs.bucketsPerChunk),
                                                                 group: shardGroup, cluster: cluster)
                    if layout.zero >= 1 {
                        let gather = CollectiveCost.seconds(.allGather, bytes: weights, group: shardGroup, cluster: cluster)
                        costs.paramGatherSeconds = recipe.effectiveOverlapParamGather ? max(0, gather - time.forward) : gather
                    }
                default:
                    // ZeRO-3 / FSDP: weights gathered before every forward and backward pass,
                    // gradients reduce-scattered after every backward; simulated as tasks on the
                    // dp stream, prefetched one pass ahead when the framework overlaps them.
                    let gather = CollectiveCost.seconds(.allGather, bytes: weights, group: shardGroup, cluster: cluster)
                    let reduce = CollectiveCost.seconds(.reduceScatter, bytes: gradients, group: shardGroup, cluster: cluster)
                    costs.perPassParameterGather = gather / v
                    costs.perPassGradientScatter = reduce / v
                    costs.prefetchesParameters = recipe.effectiveOverlapParamGather
                }
            }
            if model.tiedEmbeddings && layout.pp > 1 && (stage == 0 || stage == layout.pp - 1) {
                let bytes = geometry.embeddingElements / Double(layout.tp)
                    * (accounting.groups.first { $0.kind == .embedding }?.gradientReduceBytesPerParameter ?? 0)
                costs.embeddingAllReduceSeconds = 2 * CollectiveCost.pointToPointSeconds(bytes: bytes, sameNode: false,
                                                                                         cluster: cluster)
            }
            costs.optimizerSeconds = MatmulTime.memoryBoundSeconds(
                bytes: accounting.updatedParameters * CostModelConstants.optimizerStepBytesPerParameter, accelerator: cluster.accelerator)
            costs.forward = forward / v
            costs.backward = backward / v
            return costs
        }
    }
}

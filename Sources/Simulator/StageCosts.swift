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
    /// HSDP: the all-reduce of the gradient shard across the shard group's replicas
    /// (`DataParallelTasks.replicaAllReduceSeconds`), behind the last backward when the framework
    /// overlaps gradient reduction.
    public var replicaAllReduceSeconds: Double = 0
    /// Megatron's all-reduce of the tied embedding's gradient between the first and last rank.
    public var embeddingAllReduceSeconds: Double = 0
    public var optimizerSeconds: Double = 0
    /// ZeRO-1/2 all-gather of the updated weights, the part not hidden behind the next forward.
    public var paramGatherSeconds: Double = 0
    /// ZeRO-3 / FSDP: the all-gather of one chunk's weights for each forward and each backward
    /// pass, and the reduce-scatter of its gradients for each backward (dp stream). Their
    /// exposed part (`DataParallelTasks.shardedForwardExposed` / `shardedBackwardExposed`) is
    /// already in `forward` and `backward`.
    public var perPassParameterGather: Double = 0
    public var perPassGradientScatter: Double = 0
    /// Whether the gathers run unit by unit inside the pass they feed (FSDP prefetch,
    /// `overlapParamGather`), or before the pass's compute, with the reduce-scatter after it.
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

        return (0..<max(layout.pp, 1)).map { stage in
            let time = StageTimeModel.stage(stage, dense: dense, moe: moe, geometry: geometry, model: model,
                                            cluster: cluster, layout: layout, recipe: recipe, placement: placement)
            let data = DataParallelTasks(stage: stage, geometry: geometry, model: model, cluster: cluster,
                                         layout: layout, recipe: recipe, placement: placement)
            var costs = StageCosts()
            // The passes carry the ZeRO-3 exposure (the same per pass as in the analytic stage
            // time); the gathers and reduce-scatters are drawn as dp-stream tasks inside them.
            costs.overlapsGradientReduction = data.overlapsGradientReduction
            costs.inlineCommunication = time.tpComm + time.cpComm + time.epComm
            costs.p2p = layout.pp > 1 ? time.ppComm / (2 * v) : 0

            costs.gradientReduction = data.gradientReduction
            costs.gradientReductionSeconds = data.gradientReductionSeconds
            costs.replicaAllReduceSeconds = data.replicaAllReduceSeconds
            if let buckets = data.buckets(chunks: layout.vpp) {
                costs.bucketsPerChunk = buckets.count
                costs.bucketSeconds = buckets.seconds
            }
            costs.paramGatherSeconds = data.exposedUpdatedWeightGather(forward: time.forwardPass)
            costs.perPassParameterGather = data.perPassGatherSeconds / v
            costs.perPassGradientScatter = data.perBackwardScatterSeconds / v
            costs.prefetchesParameters = data.overlapsParameterGather
            costs.embeddingAllReduceSeconds = data.embeddingAllReduceSeconds
            costs.optimizerSeconds = data.optimizerSeconds
            costs.forward = time.forwardPass / v
            costs.backward = time.backwardPass / v
            return costs
        }
    }
}

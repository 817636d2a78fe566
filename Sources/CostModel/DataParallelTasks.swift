import Hardware
import Workloads

/// The data-parallel work of one pipeline stage in one step, costed once: what
/// `DataParallelTime` composes in closed form and what the simulator schedules task by task
/// (Rajbhandari et al. 2020, section 7; Megatron-Core's distributed data parallel).
///
/// - ZeRO 0: all-reduce of the stage's gradients over DP x CP, once per step.
/// - ZeRO 1/2 (Megatron's distributed optimizer): reduce-scatter of the gradients once per
///   step, and all-gather of the updated weights after the optimizer step (same volume as the
///   all-reduce, section 7.1).
/// - ZeRO 3 / FSDP: all-gather of the stage's weights before every forward and every backward
///   pass, reduce-scatter of its gradients after every backward (1.5x the all-reduce volume,
///   section 7.2.2), per micro-batch.
/// The bytes are `ParameterAccounting`'s (trainable classes reduce, gathered classes gather).
public struct DataParallelTasks: Sendable, Hashable {
    /// Ranks the states are sharded and reduced over (DP x CP).
    public var shards: Int
    /// ZeRO stage.
    public var zero: Int
    /// The recipe's resolved overlap switches.
    public var overlapsGradientReduction: Bool
    public var overlapsParameterGather: Bool
    /// FSDP's backward prefetch (`FSDPBackwardPrefetch`; nil in the recipe: `pre`).
    public var backwardPrefetch: FSDPBackwardPrefetch = .pre
    /// ZeRO 0-2: the once-per-step gradient reduction (nil without DP or under ZeRO-3).
    public var gradientReduction: CollectiveKind?
    public var gradientReductionBytes: Double = 0
    public var gradientReductionSeconds: Double = 0
    /// ZeRO 1/2: the all-gather of the updated weights after the optimizer step.
    public var updatedWeightGatherSeconds: Double = 0
    /// ZeRO 3: the all-gather of the stage's weights before one pass (forward or backward,
    /// all model chunks), and the reduce-scatter of its gradients after one backward.
    public var perPassGatherSeconds: Double = 0
    public var perBackwardScatterSeconds: Double = 0
    /// ZeRO 3 without a pipeline: the part of `perPassGatherSeconds` that opens every forward
    /// (the root unit's and the first block's gathers) and of `perBackwardScatterSeconds` that
    /// closes every backward (the first block's and the root unit's reduce-scatters). Nothing
    /// computes before the first two (the root's forward before the first block is the embedding
    /// lookup) nor after the last two (the embedding's backward), so no prefetch hides them
    /// (`FSDPEdgeCollectives`).
    public var forwardOpeningGatherSeconds: Double = 0
    public var backwardClosingScatterSeconds: Double = 0
    /// Megatron's all-reduce of the tied embedding's gradient between the first and last stage
    /// (pp > 1; charged on those two stages).
    public var embeddingAllReduceSeconds: Double = 0
    /// The optimizer step over the parameters this GPU updates (memory-bound), with a paged
    /// optimizer's state migration (`OffloadTime.pagedStateMigrationSeconds`).
    public var optimizerSeconds: Double = 0
    /// HSDP (`ParallelLayout.shardGroup`, MaxText's data axis beside its fsdp axis): the
    /// all-reduce of this GPU's gradient shard across the replicas of its shard group, once per
    /// step after the reduce-scatter within the group (PyTorch HSDP; MaxText's
    /// `dcn_data_parallelism` between slices).
    public var replicaAllReduceSeconds: Double = 0

    /// `costsOptimizerStep` false leaves `optimizerSeconds` 0 for a caller that reads only the
    /// collectives (a stage's per-micro-batch FSDP time), so a paged optimizer's memory walk
    /// (`OffloadTime.pagedStateMigrationSeconds`) is not done for it.
    public init(stage: Int, geometry g: LayerGeometry, model: TransformerModel, cluster: ClusterTopology,
                layout: ParallelLayout, recipe: TrainingRecipe, placement: RankPlacement, costsOptimizerStep: Bool = true) {
        let accounting = ParameterAccounting(stage: stage, geometry: g, model: model, layout: layout, recipe: recipe)
        let group = layout.zero >= 1 ? placement.shardGroup : placement.dataContextGroup
        shards = group.size
        zero = layout.zero
        overlapsGradientReduction = recipe.effectiveOverlapGradReduce
        overlapsParameterGather = recipe.effectiveOverlapParamGather
        backwardPrefetch = recipe.backwardPrefetch ?? .pre
        if group.size > 1 {
            let gradients = accounting.gradientReductionBytes
            let weights = accounting.weightGatherBytes
            switch layout.zero {
            case 0, 1, 2:
                let kind: CollectiveKind = layout.zero == 0 ? .allReduce : .reduceScatter
                gradientReduction = kind
                gradientReductionBytes = gradients
                gradientReductionSeconds = CollectiveCost.seconds(kind, bytes: gradients, group: group, cluster: cluster)
                if layout.zero >= 1 {
                    updatedWeightGatherSeconds = CollectiveCost.seconds(.allGather, bytes: weights, group: group,
                                                                        cluster: cluster)
                }
            default:
                let units = Self.shardedUnits(stage: stage, geometry: g, model: model, layout: layout)
                perPassGatherSeconds = units * CollectiveCost.seconds(.allGather, bytes: weights / units, group: group,
                                                                      cluster: cluster)
                perBackwardScatterSeconds = units * CollectiveCost.seconds(.reduceScatter, bytes: gradients / units,
                                                                           group: group, cluster: cluster)
                if layout.pp == 1 {
                    let edges = FSDPEdgeCollectives(accounting: accounting, units: units, group: group, cluster: cluster)
                    forwardOpeningGatherSeconds = edges.openingGatherSeconds
                    backwardClosingScatterSeconds = edges.closingScatterSeconds
                }
            }
        }
        let replicas = placement.shardReplicaGroup
        if layout.zero >= 1, replicas.size > 1 {
            let shard = accounting.gradientReductionBytes / Double(max(group.size, 1))
            replicaAllReduceSeconds = CollectiveCost.seconds(.allReduce, bytes: shard, group: replicas, cluster: cluster)
        }
        if model.tiedEmbeddings && layout.pp > 1 && (stage == 0 || stage == layout.pp - 1) {
            let bytes = g.embeddingElements / Double(layout.tp)
                * accounting.embedding.gradientReduceBytesPerParameter
            embeddingAllReduceSeconds = 2 * CollectiveCost.pointToPointSeconds(bytes: bytes, sameNode: false,
                                                                               cluster: cluster)
        }
        guard costsOptimizerStep else { return }
        optimizerSeconds = recipe.offload != .none
            ? OffloadTime.optimizerSeconds(updatedParameters: accounting.updatedParameters,
                                           ranksPerHost: min(layout.gpus, cluster.acceleratorsPerNode), recipe: recipe,
                                           cluster: cluster)
            : MatmulTime.memoryBoundSeconds(
                bytes: accounting.updatedParameters * recipe.optimizerStepBytesPerParameter,
                accelerator: cluster.accelerator)
        if recipe.optimizer.isPaged && recipe.offload == .none {
            let memory = MemoryModel.stage(stage, geometry: g, model: model, cluster: cluster, layout: layout, recipe: recipe)
            optimizerSeconds += OffloadTime.pagedStateMigrationSeconds(memory: memory, capacity: MemoryModel.capacity(of: cluster),
                                                                       cluster: cluster)
        }
    }

    /// ZeRO 3 / FSDP: the collectives one pass issues, one per FSDP unit: every transformer block
    /// of the stage is a unit gathered (and reduce-scattered) by a collective of its own, and the
    /// root unit holds what is left (embeddings, final norm): layers + 1 (Zhao et al. 2023, PyTorch
    /// FSDP, section 3.2: "FSDP ... all-gathers ... one FlatParameter per unit"; Composer wraps each
    /// MPT block, llm-foundry `MPTModel.fsdp_wrap_fn`; torchtitan `fully_shard` per block). Each
    /// collective pays its own latency (`CollectiveCost`: alpha x steps, n - 1 ring steps per
    /// all-gather and reduce-scatter, as NCCL's tuning model charges per call), so a pass costs
    /// units x (alpha x steps) + the bandwidth term of the stage's bytes. The bytes are split
    /// evenly over the units: with the alpha-beta cost linear in bytes, the sum is the same as
    /// per-unit sizes. MaxText's scanned layers gather layer by layer too; DeepSpeed ZeRO-3's
    /// per-module fetches and bucketed reductions are approximated by the same count.
    static func shardedUnits(stage: Int, geometry g: LayerGeometry, model: TransformerModel,
                             layout: ParallelLayout) -> Double {
        Double(StageLayers(stage: stage, geometry: g, model: model, layout: layout).total) + 1
    }

    /// Overlapped reduction buckets of one model chunk (`CostModelConstants.communicationBufferBytes`
    /// each, Megatron's `--ddp-bucket-size`): their count and the seconds of one.
    public func buckets(chunks: Int) -> (count: Int, seconds: Double, kind: CollectiveKind)? {
        guard let kind = gradientReduction, gradientReductionBytes > 0 else { return nil }
        let perChunk = gradientReductionBytes / Double(max(chunks, 1))
        let count = max(1, (perChunk / CostModelConstants.communicationBufferBytes).rounded(.up))
        let buckets = count < 1e6 ? Int(count) : 1_000_000
        let seconds = gradientReductionSeconds / Double(max(chunks, 1)) / Double(buckets)
        return (buckets, seconds, kind)
    }

    /// ZeRO 3: exposed seconds of the communication of one forward pass of `forward` seconds.
    /// FSDP gathers unit by unit (one layer, at most two in flight), so when prefetching the
    /// pass's own compute hides its gathers but the opening ones (`forwardOpeningGatherSeconds`);
    /// without prefetch each unit's gather precedes its compute in series.
    public func shardedForwardExposed(forward: Double) -> Double {
        guard overlapsParameterGather else { return perPassGatherSeconds }
        return forwardOpeningGatherSeconds
            + CostModelConstants.exposedAfterOverlap(perPassGatherSeconds - forwardOpeningGatherSeconds, window: forward)
    }

    /// ZeRO 3: exposed seconds of the communication of one backward pass of `backward`
    /// seconds: its units' gathers and the reduce-scatter of each unit's gradients, hidden by
    /// the backward's compute when prefetching (overlapped), else in series with it. FSDP's
    /// backward prefetch (`FSDPBackwardPrefetch`) decides what hides: both under `pre`, the
    /// reduce-scatters only under `post` (each gather waits in series), nothing under `none`;
    /// the closing reduce-scatters (`backwardClosingScatterSeconds`) never.
    public func shardedBackwardExposed(backward: Double) -> Double {
        let communication = perPassGatherSeconds + perBackwardScatterSeconds
        guard overlapsParameterGather else { return communication }
        switch backwardPrefetch {
        case .pre:
            return backwardClosingScatterSeconds
                + CostModelConstants.exposedAfterOverlap(communication - backwardClosingScatterSeconds, window: backward)
        case .post:
            return perPassGatherSeconds + backwardClosingScatterSeconds
                + CostModelConstants.exposedAfterOverlap(perBackwardScatterSeconds - backwardClosingScatterSeconds,
                                                         window: backward)
        case .none: return communication
        }
    }

    /// ZeRO 3: exposed seconds per micro-batch (one forward and one backward).
    public func shardedExposedPerMicroBatch(forward: Double, backward: Double) -> Double {
        guard perPassGatherSeconds + perBackwardScatterSeconds > 0 else { return 0 }
        return shardedForwardExposed(forward: forward) + shardedBackwardExposed(backward: backward)
    }

    /// ZeRO 0-2: exposed seconds of the once-per-step gradient reduction when overlapped,
    /// bucket by bucket, behind the backward passes of the last micro-batches, one micro-batch's
    /// backward (all chunks) taking `backward` seconds. A chunk's buckets are ready when its last
    /// backward ends; the reduction runs on one stream. Without interleaving (v = 1) the window
    /// is the last backward; with v chunks of p stages, interleaved 1F1B runs the last p
    /// micro-batches chunk after chunk, so p (v - 1) + 1 chunk passes (of `backward` / v each)
    /// follow the first chunk's last backward. The last bucket is reduced after the last pass
    /// and cannot overlap; the first is ready only once 1/n of the first pass is done (n buckets
    /// per chunk), so the window is (p (v - 1) + 1 - 1/n) chunk passes. With buckets longer than
    /// 1/n of a pass this is exactly the simulator's bucket chain (v = 1: it starts at B/n and
    /// runs back to back, hiding B (n - 1)/n); with shorter ones every bucket but the last hides.
    public func exposedGradientReduction(backward: Double, chunks: Int, stages: Int) -> Double {
        guard gradientReductionSeconds > 0 else { return 0 }
        guard overlapsGradientReduction, let buckets = buckets(chunks: chunks) else { return gradientReductionSeconds }
        let v = Double(max(chunks, 1))
        let passesAfter = Double(max(stages, 1)) * (v - 1) + 1 - 1 / Double(buckets.count)
        let last = buckets.seconds
        return last + CostModelConstants.exposedAfterOverlap(gradientReductionSeconds - last,
                                                             window: backward / v * passesAfter)
    }

    /// HSDP: exposed seconds of the replicas' gradient all-reduce, behind the last backward of
    /// `backward` seconds when the framework overlaps gradient reduction (layer by layer as the
    /// reduce-scatters finish), else after it.
    public func exposedReplicaReduction(backward: Double) -> Double {
        overlapsGradientReduction
            ? CostModelConstants.exposedAfterOverlap(replicaAllReduceSeconds, window: backward)
            : replicaAllReduceSeconds
    }

    /// ZeRO 1/2: exposed seconds of the updated-weight all-gather, behind the next step's first
    /// forward (`forward`) when overlapped.
    public func exposedUpdatedWeightGather(forward: Double) -> Double {
        overlapsParameterGather
            ? CostModelConstants.exposedAfterOverlap(updatedWeightGatherSeconds, window: forward)
            : updatedWeightGatherSeconds
    }
}

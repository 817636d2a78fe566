import Hardware

/// The ZeRO-3 / FSDP collectives at the two ends of a micro-batch that no compute can hide
/// (Zhao et al. 2023, PyTorch FSDP, section 3.3: overlap needs compute to run beside the
/// collective; the FSDP unit structure of `DataParallelTasks.shardedUnits`):
/// - the forward opens with the root unit's all-gather (embeddings, final norm) and the first
///   block's, issued by its pre-forward hook right after, while the only compute between them is
///   the embedding lookup;
/// - the backward closes with the first block's reduce-scatter and the root unit's (issued by
///   their post-backward hooks; the root's after the embedding's backward), which the step
///   waits for (FSDP's final backward callback waits on the post-backward stream before the
///   optimizer; with gradient accumulation the next micro-batch's root all-gather queues behind
///   them on the process group's one NCCL stream).
/// Each is one collective of `CollectiveCost` over the shard group: the root unit's bytes are
/// the stage's embedding class (`ParameterAccounting.embedding`), a block's the rest over the
/// blocks. Under pipeline parallelism the stage's other micro-batches compute beside them, so
/// `DataParallelTasks` charges them only without one.
struct FSDPEdgeCollectives: Sendable, Hashable {
    var openingGatherSeconds: Double
    var closingScatterSeconds: Double

    init(accounting: ParameterAccounting, units: Double, group: RankPlacement.Group, cluster: ClusterTopology) {
        let blocks = max(units - 1, 1)
        let rootWeights = accounting.embedding.gatheredWeightBytes
        let rootGradients = accounting.embedding.count * accounting.embedding.gradientReduceBytesPerParameter
        let blockWeights = (accounting.weightGatherBytes - rootWeights) / blocks
        let blockGradients = (accounting.gradientReductionBytes - rootGradients) / blocks
        func seconds(_ kind: CollectiveKind, _ bytes: Double) -> Double {
            CollectiveCost.seconds(kind, bytes: bytes, group: group, cluster: cluster)
        }
        openingGatherSeconds = seconds(.allGather, rootWeights) + seconds(.allGather, blockWeights)
        closingScatterSeconds = seconds(.reduceScatter, blockGradients) + seconds(.reduceScatter, rootGradients)
    }
}

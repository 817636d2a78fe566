import Hardware
import Workloads

/// Exposed data-parallel communication of a step outside the pipeline, and the optimizer step,
/// composed in closed form from `DataParallelTasks` (the simulator schedules the same tasks).
///
/// - ZeRO 0-2: the gradient reduction behind the last micro-batch's backward when
///   `overlapGradReduce` (only what exceeds that window, and at least the last bucket, is
///   exposed), and under ZeRO 1/2 the updated-weight all-gather behind the first forward when
///   `overlapParamGather`.
/// - ZeRO 3: the per-micro-batch gathers and reduce-scatters are part of every stage's time
///   (`StageTime.dataParallel`), so only the tied-embedding all-reduce remains here.
/// The first stage's tasks are charged: it holds the embedding and usually the most parameters,
/// and finishes its last backward last, so its reduction is the one on the critical path. They
/// hide behind the first stage's own passes (`first`), which end the pipeline, as the simulator
/// runs them.
public enum DataParallelTime {
    public struct Result: Sendable, Hashable {
        public var exposedSeconds: Double
        public var optimizerSeconds: Double
    }

    public static func exposed(geometry g: LayerGeometry, model: TransformerModel, cluster: ClusterTopology,
                               layout: ParallelLayout, recipe: TrainingRecipe, placement: RankPlacement,
                               first: StageTime) -> Result {
        let tasks = DataParallelTasks(stage: 0, geometry: g, model: model, cluster: cluster, layout: layout,
                                      recipe: recipe, placement: placement)
        var exposed = tasks.exposedGradientReduction(backward: first.backwardPass, chunks: layout.vpp,
                                                   stages: layout.pp)
            + tasks.exposedUpdatedWeightGather(forward: first.forwardPass)
            + tasks.exposedReplicaReduction(backward: first.backwardPass)
        if model.tiedEmbeddings && layout.pp > 1 { exposed += tasks.embeddingAllReduceSeconds }
        return Result(exposedSeconds: exposed, optimizerSeconds: tasks.optimizerSeconds)
    }
}

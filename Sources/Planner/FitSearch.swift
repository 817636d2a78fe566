import CostModel
import Hardware
import Workloads

/// Fit questions for one GPU or one node (`loom fit`): the longest sequence or the largest
/// micro-batch that fits the GPUs' memory (and the host's, for offloaded states) under fixed
/// settings, and the cheapest memory savers that make a sequence length fit.
///
/// Memory grows monotonically with the sequence length and with the micro-batch (activations
/// are linear or quadratic in them, model states constant), so the largest fitting value is found
/// by doubling until the first miss and bisecting between the last fit and it: O(log n)
/// estimates.
public enum FitSearch {
    /// A value that fits, with its estimate.
    public struct Fit: Sendable {
        public var value: Int
        public var layout: ParallelLayout
        public var estimate: Estimate
    }

    /// Largest n in 1...limit with `fits(n)`, for a `fits` that holds up to some n and fails
    /// beyond it; nil when even 1 fails.
    public static func largest(upTo limit: Int, fits: (Int) -> Bool) -> Int? {
        guard limit >= 1, fits(1) else { return nil }
        var good = 1
        var bad: Int?
        while bad == nil {
            let next = good > limit / 2 ? limit : 2 * good
            if next == good { return good }
            if fits(next) { good = next } else { bad = next }
            if good == limit { return good }
        }
        var high = bad!
        while high - good > 1 {
            let mid = good + (high - good) / 2
            if fits(mid) { good = mid } else { high = mid }
        }
        return good
    }

    /// Whether `layout` is valid and fits under `recipe`, and its estimate.
    static func evaluate(_ layout: ParallelLayout, recipe: TrainingRecipe, estimator: Estimator, gpus: Int) -> Estimate? {
        guard (try? LayoutValidation.check(layout, recipe: recipe, model: estimator.model, cluster: estimator.cluster,
                                           gpus: gpus)) != nil else { return nil }
        let estimate = estimator.estimate(layout, recipe: recipe)
        return estimate.fits ? estimate : nil
    }

    /// The longest sequence (at most `limit` tokens) that fits, the rest of `layout` fixed.
    public static func longestSequence(_ layout: ParallelLayout, recipe: TrainingRecipe, estimator: Estimator,
                                       limit: Int) -> Fit? {
        var best: Fit?
        let found = largest(upTo: limit) { seq in
            var candidate = layout
            candidate.seq = seq
            guard let estimate = evaluate(candidate, recipe: recipe, estimator: estimator, gpus: layout.gpus) else { return false }
            if seq >= (best?.value ?? 0) { best = Fit(value: seq, layout: candidate, estimate: estimate) }
            return true
        }
        return found == nil ? nil : best
    }

    /// The largest micro-batch (at most `limit` sequences) that fits, keeping the gradient
    /// accumulation steps of `layout` (the global batch grows with the micro-batch).
    public static func largestMicroBatch(_ layout: ParallelLayout, recipe: TrainingRecipe, estimator: Estimator,
                                         limit: Int) -> Fit? {
        let accumulation = max(layout.microBatchesPerReplica, 1)
        var best: Fit?
        let found = largest(upTo: limit) { batch in
            var candidate = layout
            candidate.microBatch = batch
            candidate.globalBatch = batch * accumulation * layout.dp
            guard let estimate = evaluate(candidate, recipe: recipe, estimator: estimator, gpus: layout.gpus) else { return false }
            if batch >= (best?.value ?? 0) { best = Fit(value: batch, layout: candidate, estimate: estimate) }
            return true
        }
        return found == nil ? nil : best
    }

    /// The memory savers that make `layout` fit, fastest first: every combination of activation
    /// recomputation (none, selective, full), optimizer (the recipe's, 8-bit Adam, paged 8-bit
    /// Adam) and CPU offload (none, optimizer, all; only where the topology states host memory),
    /// keeping the recipe's training method, precision and framework. At most `top`.
    public static func cheapestSettings(_ layout: ParallelLayout, recipe: TrainingRecipe, estimator: Estimator,
                                        top: Int = 5) -> [(recipe: TrainingRecipe, estimate: Estimate)] {
        var optimizers = [recipe.optimizer]
        for kind in [OptimizerKind.adam8bit, .pagedAdam8bit] where !optimizers.contains(kind) { optimizers.append(kind) }
        let offloads: [OffloadKind] = estimator.cluster.node.hostMemoryGiB == nil ? [.none] : OffloadKind.allCases
        var fitting: [(recipe: TrainingRecipe, estimate: Estimate)] = []
        for recompute in Recompute.allCases {
            for optimizer in optimizers {
                // Combinations the training stack cannot run (bitsandbytes' optimizers under CPU
                // offload) fail validation and are skipped.
                for offload in offloads {
                    var candidate = recipe
                    candidate.recompute = recompute
                    candidate.optimizer = optimizer
                    candidate.offload = offload
                    if let estimate = evaluate(layout, recipe: candidate, estimator: estimator, gpus: layout.gpus) {
                        fitting.append((candidate, estimate))
                    }
                }
            }
        }
        return Array(fitting.sorted { $0.estimate.tokensPerS > $1.estimate.tokensPerS }.prefix(max(top, 1)))
    }
}

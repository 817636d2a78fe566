/// When a pipeline rank holds its stages' gathered weights and unsharded gradients under FSDP
/// (`FrameworkProfile.keepsGatheredWeightsUnderPipeline`): torchtitan @9dec370 shards every block
/// with `reshard_after_forward=False` under PP, and PyTorch's pipelining runtime (torch 1963fc8,
/// `stage.py`, `backward_maybe_with_nosync`) runs every micro-batch's backward of a stage with
/// `set_requires_gradient_sync(False)` and `set_reshard_after_backward(False)`, and only at the
/// stage's last backward (`last_backward`) calls each FSDP group's `post_backward` with them on.
/// So, for each local stage (model chunk) of the rank:
/// - its weights are gathered at its first forward of the step and stay until its last backward,
///   which reshards them;
/// - its unsharded gradients appear at its first backward: FSDP2's `post_backward` keeps them as
///   `unsharded_accumulated_grad` in the reduction dtype (`to_accumulated_grad_if_needed`, fp32
///   under torchtitan's `mixed_precision_reduce`) and adds every later micro-batch's into them;
///   the last backward reduce-scatters them and frees them, leaving the sharded gradient.
/// With one stage per rank (1F1B, GPipe) the gradients therefore exist from the end of the first
/// backward, when one micro-batch's activations are already freed; with several (interleaved
/// 1F1B) and as many micro-batches as ranks, each chunk's backwards run as one block, so the rank
/// holds one chunk's gradients at a time and frees each chunk's weights as its block ends.
///
/// The peak is taken over the rank's backwards in the schedule's order (PyTorch's
/// `Schedule1F1B`, `ScheduleInterleaved1F1B` and `ScheduleGPipe`): during backward k the rank
/// holds min(W + 1, m v - k) chunk-micro-batches' kept activations (W warm-up forwards:
/// p - i - 1 for 1F1B, (v - 1)p + 2(p - i - 1) for interleaved 1F1B, all m v for GPipe), the live
/// layer, the loss while it differentiates the pipeline's last chunk, the weights of every chunk
/// whose last backward is still to come and the gradients of every chunk past its first
/// backward. Memory only falls within a stretch where no chunk starts or ends its backwards, so
/// the candidates are the first backward of each stretch, the stretch's first backward of the
/// pipeline's last chunk, and the moment each chunk's last backward ends (its gradients whole,
/// before the reduce-scatter; the peak with one micro-batch): O(v) evaluations, whatever the
/// number of micro-batches.
public enum PipelineStageResidency {
    /// What one local stage (model chunk) of the rank holds, in bytes.
    public struct Chunk: Sendable, Hashable {
        /// Its weights gathered whole, in the dtype compute reads.
        public var weights: Double
        /// Its unsharded gradients (reduction dtype).
        public var gradients: Double
        /// Its gradient shard after the reduce-scatter.
        public var shardedGradients: Double
    }

    /// The rank's memory at its peak backward (gathered weights, gradients, activations).
    public struct Peak: Sendable, Hashable {
        public var weights: Double
        public var gradients: Double
        public var activations: Double
        public var total: Double { weights + gradients + activations }
    }

    /// The peak of pipeline rank `rank`.
    /// - `chunks`: its local stages in order (v of them; chunk c is virtual stage c x p + rank);
    /// - `keptPerChunkMicroBatch`: activation bytes one chunk keeps per micro-batch in flight;
    /// - `live`: one layer's activations while a backward recomputes and differentiates it;
    /// - `loss`: the loss's bytes while the pipeline's last chunk differentiates (0 on other ranks).
    /// Nil where the schedule's order is not modelled here (interleaving with micro-batches not a
    /// multiple of the ranks).
    public static func peak(rank: Int, stages p: Int, microBatches m: Int, schedule: PipelineScheduleKind,
                            chunks: [Chunk], keptPerChunkMicroBatch: Double, live: Double, loss: Double) -> Peak? {
        peak(rank: rank, stages: p, microBatches: m, schedule: schedule, chunkCount: chunks.count,
             chunk: { chunks[$0] }, keptPerChunkMicroBatch: keptPerChunkMicroBatch, live: live, loss: loss)
    }

    /// The same walk over `chunkCount` local stages given by `chunk(c)`, allocating nothing (the
    /// planner evaluates it for every candidate layout).
    static func peak(rank: Int, stages p: Int, microBatches m: Int, schedule: PipelineScheduleKind,
                     chunkCount v: Int, chunk held: (Int) -> Chunk, keptPerChunkMicroBatch: Double,
                     live: Double, loss: Double) -> Peak? {
        guard v >= 1, p >= 1, m >= 1, rank >= 0, rank < p else { return nil }
        let total = m * v
        let gpipe = schedule == .gpipe
        if v > 1 && !gpipe && (m < p || m % p != 0) { return nil }
        // Backwards run in groups: a chunk's m (GPipe) or p (interleaved) micro-batches in a row,
        // the chunks from the last to the first, round after round.
        let group = gpipe ? m : p
        let rounds = v > 1 && !gpipe ? m / p : 1
        func chunk(ofBackward k: Int) -> Int { v == 1 ? 0 : v - 1 - (k / group) % v }
        func firstBackward(_ c: Int) -> Int { v == 1 ? 0 : (v - 1 - c) * group }
        func lastBackward(_ c: Int) -> Int {
            if v == 1 { return m - 1 }
            if gpipe { return (v - 1 - c) * m + m - 1 }
            return (rounds - 1) * p * v + (v - 1 - c) * p + p - 1
        }
        let warmup: Int
        if gpipe {
            warmup = total
        } else if v == 1 {
            warmup = min(p - rank - 1, m)
        } else {
            warmup = min((v - 1) * p + 2 * (p - rank - 1), total)
        }
        // Chunks not yet past their last backward hold their weights, and their gradients from
        // the end of their first backward (`finishing`: the chunk whose backward k just ended);
        // the others their gradient shards.
        func holdings(atBackward k: Int, finishing: Int? = nil) -> (weights: Double, gradients: Double) {
            var weights = 0.0
            var gradients = 0.0
            for c in 0..<v {
                let held = held(c)
                if k <= lastBackward(c) {
                    weights += held.weights
                    if k > firstBackward(c) || c == finishing { gradients += held.gradients }
                } else {
                    gradients += held.shardedGradients
                }
            }
            return (weights, gradients)
        }
        func memory(duringBackward k: Int) -> Peak {
            let held = holdings(atBackward: k)
            let inFlight = Double(min(warmup + 1, total - k))
            let holdsLoss = rank == p - 1 && chunk(ofBackward: k) == v - 1
            let activations = inFlight * keptPerChunkMicroBatch + live + (holdsLoss ? loss : 0)
            return Peak(weights: held.weights, gradients: held.gradients, activations: activations)
        }
        // Right after a chunk's last backward, before the reduce-scatter frees its gradients:
        // the peak of a chunk whose only backward is its first (one micro-batch).
        func memory(afterLastBackwardOf finished: Int) -> Peak {
            let k = lastBackward(finished)
            let held = holdings(atBackward: k, finishing: finished)
            let inFlight = Double(min(warmup + 1, total - k) - 1)
            return Peak(weights: held.weights, gradients: held.gradients, activations: inFlight * keptPerChunkMicroBatch)
        }
        var best: Peak?
        for c in 0..<v {
            let at = memory(afterLastBackwardOf: c)
            if best.map({ at.total > $0.total }) ?? true { best = at }
        }
        // Stretch starts: backward 0 and the backward after each chunk's first and last one
        // (start number 2c + 1 and 2c + 2 of chunk c); a stretch ends where the next start is.
        func stretchStart(_ index: Int) -> Int {
            index == 0 ? 0 : (index % 2 == 1 ? firstBackward((index - 1) / 2) : lastBackward((index - 1) / 2)) + 1
        }
        let starts = 2 * v + 1
        for index in 0..<starts {
            let start = stretchStart(index)
            // Each start once (the first index holding it), and only inside the step.
            guard start < total, !(0..<index).contains(where: { stretchStart($0) == start }) else { continue }
            var end = total
            for other in 0..<starts {
                let next = stretchStart(other)
                if next > start && next < end { end = next }
            }
            func consider(_ k: Int) {
                let at = memory(duringBackward: k)
                if best.map({ at.total > $0.total }) ?? true { best = at }
            }
            consider(start)
            if rank == p - 1 && loss > 0 {
                // The stretch's first backward of the last chunk, where the loss adds.
                var k = start
                while k < end && chunk(ofBackward: k) != v - 1 {
                    k = v == 1 ? end : (k / group + 1) * group
                }
                if k < end && k != start { consider(k) }
            }
        }
        return best
    }
}

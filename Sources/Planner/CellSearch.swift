import CostModel
import Hardware
import Workloads

/// The planner's inner loop over one cell (fixed TP, PP, CP, DP, EP): every ZeRO stage,
/// micro-batch, virtual-stage count, recomputation and sequence-parallel choice.
///
/// Per ZeRO stage a cheap bound first: the model states of the first and last stages plus the
/// runtime's fixed memory are a lower bound of the peak, so when they exceed the limit every
/// layout of that stage is counted as pruned without looking at it. Each remaining layout gets
/// its peak memory (`Estimator.peakMemory`, no time model); only a fitting one gets the time
/// estimate (`Estimator.evaluate`, scalar, no allocation) and a place in the top K.
struct CellSearch: Sendable {
    let planner: Planner
    let estimator: Estimator
    let space: SearchSpace
    /// Peak bytes per GPU a plan may use.
    let memoryLimit: Double
    let objective: PlanObjective
    /// Score above which fitting layouts are counted (`Planner.rank`); +inf counts none.
    let referenceScore: Double
    /// Stop at the first fitting layout (used when looking for a GPU count that fits).
    let stopAtFirstFit: Bool

    /// Searches `cell` (number `index` in the enumeration) into `tally`; returns false when
    /// `stopAtFirstFit` found one.
    func run(_ cell: SearchCell, index: Int, into tally: inout SearchTally) -> Bool {
        let constraints = space.request.constraints
        var layout = ParallelLayout(
            tp: cell.tp, pp: cell.pp, dp: cell.dp, cp: cell.cp, ep: cell.ep, vpp: 1, zero: 0,
            sequenceParallel: false, microBatch: 1, globalBatch: space.request.globalBatch, seq: space.request.seq,
            schedule: constraints.schedule, shardGroup: cell.shardGroup, targetSeq: space.request.targetSeq)
        let perReplica = space.request.globalBatch / cell.dp
        let spRange = space.sequenceParallelRange(tp: cell.tp)
        let maxVirtual = space.maxVirtualStages(pp: cell.pp)
        let firstVirtual = constraints.vpp ?? 1
        var inner = 0
        var layoutsPerZeroStage = -1
        // A cell fixes the job's GPU count and the shards of its checkpoint: one goodput for all of it.
        let goodput = planner.goodput(layout, recipe: constraints.recipe, request: space.request)
        for zero in space.zeros where (zero >= 1 || cell.shardGroup == nil) && space.expresses(zero: zero, cell: cell) {
            layout.zero = zero
            // Model states do not depend on the recomputation policy, the one searched recipe field.
            let bound = modelStateBound(layout, recipe: constraints.recipe)
            if bound > memoryLimit {
                if layoutsPerZeroStage < 0 { layoutsPerZeroStage = space.innerCount(cell) }
                tally.pruned += layoutsPerZeroStage
                tally.noteMemory(bound, layout: layout, recipe: constraints.recipe, cell: index, inner: inner)
                inner += 1
                continue
            }
            var keepGoing = true
            space.forEachMicroBatch(perReplica: perReplica) { mb in
                guard keepGoing else { return }
                layout.microBatch = mb
                let microBatches = perReplica / mb
                var vpp = firstVirtual
                while vpp <= maxVirtual && keepGoing {
                    defer { vpp += 1 }
                    guard space.allowsVirtualStages(vpp, pp: cell.pp, microBatches: microBatches) else { continue }
                    layout.vpp = vpp
                    for recipe in space.recipes {
                        for sp in spRange {
                            layout.sequenceParallel = sp == 1
                            inner += 1
                            if !consider(layout, recipe: recipe, goodput: goodput, cell: index, inner: inner,
                                         into: &tally) {
                                keepGoing = false
                                break
                            }
                        }
                        if !keepGoing { break }
                    }
                }
            }
            if !keepGoing { return false }
        }
        return true
    }

    /// Memory check, time estimate and ranking of one layout; false = stop the search.
    @inline(__always)
    private func consider(_ layout: ParallelLayout, recipe: TrainingRecipe, goodput: Double, cell: Int, inner: Int,
                          into tally: inout SearchTally) -> Bool {
        let peak = estimator.peakMemory(layout, recipe: recipe)
        if peak > memoryLimit {
            tally.pruned += 1
            tally.noteMemory(peak, layout: layout, recipe: recipe, cell: cell, inner: inner)
            return true
        }
        let core = estimator.evaluate(layout, recipe: recipe)
        tally.evaluated += 1
        let keys = PlanCandidate.keys(objective, tokensPerSecond: core.tokensPerSecond, gpus: layout.gpus,
                                      peakMemory: peak, goodput: goodput)
        if keys.score > referenceScore { tally.betterThanReference += 1 }
        if tally.top.admits(score: keys.score) {
            tally.top.offer(PlanCandidate(layout: layout, recipe: recipe, core: core, peakMemory: peak, score: keys.score,
                                          tieBreak: keys.tieBreak, cell: cell, inner: inner))
        }
        return !stopAtFirstFit
    }

    /// Lower bound of the peak memory from model states alone (first and last stage) plus
    /// the runtime's fixed share; activations only add to it.
    private func modelStateBound(_ layout: ParallelLayout, recipe: TrainingRecipe) -> Double {
        let g = estimator.geometry
        let model = estimator.model
        var states = ModelStateMemory.bytes(
            for: ModelStateMemory.parameters(stage: 0, geometry: g, model: model, layout: layout, recipe: recipe), layout: layout,
            recipe: recipe
        ).modelStates
        if layout.pp > 1 {
            let last = ModelStateMemory.bytes(
                for: ModelStateMemory.parameters(stage: layout.pp - 1, geometry: g, model: model, layout: layout,
                                                 recipe: recipe),
                layout: layout, recipe: recipe
            ).modelStates
            states = max(states, last)
        }
        return states + MemoryModel.otherBytes(activations: 0, cluster: estimator.cluster)
    }
}

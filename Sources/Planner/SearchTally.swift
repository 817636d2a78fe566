import CostModel

/// What one search task found: its best plans and its counts. Tallies of parallel tasks merge
/// into one (`merge`), in any order, to the same result.
struct SearchTally: Sendable {
    var top: TopPlans
    /// Layouts whose time estimate was computed (they fit in memory).
    var evaluated = 0
    /// Layouts rejected by a memory bound before any time estimate.
    var pruned = 0
    /// Fitting layouts scoring strictly better than the reference score (for `Planner.rank`).
    var betterThanReference = 0
    /// The least peak memory (or lower bound of it) seen, and the layout that had it: what the
    /// "nothing fits" message reports.
    var leastMemory = Double.infinity
    var leastMemoryLayout: ParallelLayout?
    var leastMemoryRecipe: TrainingRecipe?
    var leastMemoryOrder = (cell: Int.max, inner: Int.max)

    init(capacity: Int) {
        top = TopPlans(capacity: capacity)
    }

    mutating func noteMemory(_ bytes: Double, layout: ParallelLayout, recipe: TrainingRecipe, cell: Int, inner: Int) {
        if bytes < leastMemory || (bytes == leastMemory && (cell, inner) < leastMemoryOrder) {
            leastMemory = bytes
            leastMemoryLayout = layout
            leastMemoryRecipe = recipe
            leastMemoryOrder = (cell, inner)
        }
    }

    mutating func merge(_ other: SearchTally) {
        top.merge(other.top)
        evaluated += other.evaluated
        pruned += other.pruned
        betterThanReference += other.betterThanReference
        if let layout = other.leastMemoryLayout, let recipe = other.leastMemoryRecipe {
            noteMemory(other.leastMemory, layout: layout, recipe: recipe, cell: other.leastMemoryOrder.cell,
                       inner: other.leastMemoryOrder.inner)
        }
    }
}

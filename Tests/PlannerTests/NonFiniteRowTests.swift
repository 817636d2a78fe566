import CostModel
import Testing
@testable import Planner

/// A row with a NaN or infinite figure is never ranked (issue 14: `plan` ranked NaN rows).
@Suite struct NonFiniteRowTests {
    func candidate(_ score: Double, step: Double = 1, inner: Int) -> PlanCandidate {
        var core = CoreEstimate()
        core.stepSeconds = step
        return PlanCandidate(layout: ParallelLayout(), recipe: TrainingRecipe(), core: core, peakMemory: 0, score: score, tieBreak: 0, cell: 0,
                             inner: inner)
    }

    @Test func nanAndInfiniteRowsAreDropped() {
        var top = TopPlans(capacity: 4)
        top.offer(candidate(.nan, inner: 0))          // would compare false with everything
        top.offer(candidate(2, inner: 1))
        top.offer(candidate(.infinity, inner: 2))     // would rank first
        top.offer(candidate(5, step: .nan, inner: 3)) // a finite score over a NaN step time
        top.offer(candidate(1, inner: 4))
        #expect(top.entries.map(\.inner) == [1, 4])
    }
}

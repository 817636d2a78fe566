import CostModel
import Testing
@testable import Planner

@Suite struct TopPlansTests {
    func candidate(_ score: Double, tieBreak: Double = 0, cell: Int = 0, inner: Int = 0) -> PlanCandidate {
        PlanCandidate(layout: ParallelLayout(), recipe: TrainingRecipe(), core: CoreEstimate(), peakMemory: 0, score: score, tieBreak: tieBreak,
                      cell: cell, inner: inner)
    }

    @Test func keepsTheBestKInOrder() {
        var top = TopPlans(capacity: 3)
        for (index, score) in [5.0, 1, 9, 7, 3, 8].enumerated() { top.offer(candidate(score, inner: index)) }
        #expect(top.entries.map(\.score) == [9, 8, 7])
        #expect(top.entries.capacity >= 3)
    }

    @Test func equivalentCandidatesAreKeptOnceTheEarliestWhateverTheMergeOrder() {
        var a = TopPlans(capacity: 2)
        var b = TopPlans(capacity: 2)
        a.offer(candidate(1, cell: 3))
        b.offer(candidate(1, cell: 1))
        b.offer(candidate(1, cell: 2))
        b.offer(candidate(1, tieBreak: -1, cell: 0))
        var ab = a
        ab.merge(b)
        var ba = b
        ba.merge(a)
        #expect(ab.entries.map(\.cell) == [1, 0])
        #expect(ba.entries.map(\.cell) == [1, 0])
    }
}

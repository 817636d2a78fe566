import CostModel
import Testing
@testable import Planner

@Suite struct TopPlansTests {
    func candidate(_ score: Double, cell: Int = 0, inner: Int = 0) -> PlanCandidate {
        PlanCandidate(layout: ParallelLayout(), core: CoreEstimate(), peakMemory: 0, score: score, tieBreak: 0,
                      cell: cell, inner: inner)
    }

    @Test func keepsTheBestKInOrder() {
        var top = TopPlans(capacity: 3)
        for (index, score) in [5.0, 1, 9, 7, 3, 8].enumerated() { top.offer(candidate(score, inner: index)) }
        #expect(top.entries.map(\.score) == [9, 8, 7])
        #expect(top.entries.capacity >= 3)
    }

    @Test func equalScoresKeepTheEarlierLayoutWhateverTheMergeOrder() {
        var a = TopPlans(capacity: 2)
        var b = TopPlans(capacity: 2)
        a.offer(candidate(1, cell: 3))
        b.offer(candidate(1, cell: 1))
        b.offer(candidate(1, cell: 2))
        var ab = a
        ab.merge(b)
        var ba = b
        ba.merge(a)
        #expect(ab.entries.map(\.cell) == [1, 2])
        #expect(ba.entries.map(\.cell) == [1, 2])
    }
}

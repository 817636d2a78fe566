/// The best K candidates seen so far, best first, in a fixed-capacity array: an insertion
/// shifts at most K entries and never reallocates after `init`, so the search's inner loop
/// does not allocate.
///
/// Equivalent candidates (equal score and tie-break: the same predicted step time and memory,
/// e.g. CP 2 with twice the micro-batch instead of DP) are kept once, the earliest in the
/// enumeration (smaller TP, PP, CP first) standing for all, so the list shows K distinct choices.
struct TopPlans: Sendable {
    let capacity: Int
    private(set) var entries: [PlanCandidate]

    init(capacity: Int) {
        self.capacity = max(capacity, 1)
        entries = []
        entries.reserveCapacity(self.capacity + 1)
    }

    /// Whether `candidate` would enter the list (cheap check before building it in full).
    @inline(__always)
    func admits(score: Double) -> Bool {
        guard entries.count == capacity, let worst = entries.last else { return true }
        return score >= worst.score
    }

    /// Inserts `candidate` in order if it is among the best K.
    @inline(__always)
    mutating func offer(_ candidate: PlanCandidate) {
        // A row with a non-finite figure is never ranked (it would compare false with everything).
        guard candidate.isFinite else { return }
        for index in entries.indices
        where entries[index].score == candidate.score && entries[index].tieBreak == candidate.tieBreak {
            if candidate.isBetter(than: entries[index]) { entries[index] = candidate }
            return
        }
        if entries.count == capacity {
            guard let worst = entries.last, candidate.isBetter(than: worst) else { return }
            entries.removeLast()
        }
        var index = entries.count
        while index > 0 && candidate.isBetter(than: entries[index - 1]) { index -= 1 }
        entries.insert(candidate, at: index)
    }

    /// Adds every entry of `other` (merging the results of parallel tasks).
    mutating func merge(_ other: TopPlans) {
        for candidate in other.entries { offer(candidate) }
    }
}

extension PlanCandidate {
    /// Every figure the ranking and the printed row use is finite.
    var isFinite: Bool {
        score.isFinite && tieBreak.isFinite && peakMemory.isFinite && core.stepSeconds.isFinite
            && core.tokensPerSecond.isFinite && core.tflopsPerGPU.isFinite && core.mfu.isFinite && core.hfu.isFinite
            && core.time.total.isFinite
    }
}

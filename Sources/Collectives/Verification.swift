/// The correctness check of every size, as nccl-tests' `-c 1`: after the timed loop, each rank
/// compares its whole receive buffer with what the collective says it must hold
/// (`Collective.expected`) and counts the elements that differ.
enum Verification {
    /// Elements of `receive` that differ from the collective's expectation.
    static func countWrong<C: Collective, T: MPIElement>(
        _ receive: UnsafeMutableBufferPointer<T>, collective: C, count: Int, rank: Int, ranks: Int,
        pattern: DataPattern
    ) -> Int {
        var wrong = 0
        for index in receive.indices {
            let expected = collective.expected(atReceiveIndex: index, count: count, rank: rank, ranks: ranks)
            if receive[index] != T(patternValue: value(of: expected, pattern: pattern)) { wrong += 1 }
        }
        return wrong
    }

    /// The whole number an expectation stands for.
    @inline(__always)
    static func value(of expected: Expected, pattern: DataPattern) -> Int {
        switch expected {
        case let .copy(rank, index): return DataPattern.value(rank: rank, index: index)
        case let .sum(index): return pattern.sumOverRanks(index: index)
        }
    }
}

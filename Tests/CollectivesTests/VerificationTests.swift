@testable import Collectives
import Testing

/// The correctness check against an independent model of each operation's MPI semantics
/// (MPI 3.1, chapter 5): the receive buffers a correct library produces must check as 0 wrong,
/// and every corrupted element must be counted.
@Suite struct VerificationTests {
    /// What rank `rank`'s receive buffer holds after a correct run of `name` on `ranks` ranks.
    static func correctReceive(_ name: String, count: Int, rank: Int, ranks: Int) -> [Int] {
        let p = DataPattern.value
        let block = count / ranks
        switch name {
        case "allreduce":
            return (0 ..< count).map { i in (0 ..< ranks).reduce(0) { $0 + p($1, i) } }
        case "allgather":
            return (0 ..< count).map { i in p(i / block, i % block) }
        case "reducescatter":
            return (0 ..< block).map { i in (0 ..< ranks).reduce(0) { $0 + p($1, rank * block + i) } }
        case "broadcast":
            return (0 ..< count).map { p(0, $0) }
        case "alltoall":
            // Block j comes from rank j, which sent its block number `rank`.
            return (0 ..< count).map { i in p(i / block, rank * block + i % block) }
        case "sendrecv", "pingpong":
            let partner = rank < ranks / 2 ? rank + ranks / 2 : rank - ranks / 2
            return (0 ..< count).map { p(partner, $0) }
        default:
            return []
        }
    }

    static func wrong(_ name: String, _ values: [Int], count: Int, rank: Int, ranks: Int) -> Int? {
        guard let operation = CollectiveCatalog.named(name) else { return nil }
        var floats = values.map { Float($0) }
        return floats.withUnsafeMutableBufferPointer { buffer in
            Verification.countWrong(buffer, collective: operation, count: count, rank: rank, ranks: ranks,
                                    pattern: DataPattern(ranks: ranks))
        }
    }

    static let dataOperations = ["allreduce", "allgather", "reducescatter", "broadcast", "alltoall", "sendrecv", "pingpong"]

    @Test(arguments: dataOperations, [2, 4, 6])
    func correctResultsHaveNoWrongElements(name: String, ranks: Int) throws {
        let operation = try #require(CollectiveCatalog.named(name))
        let count = 12 * ranks
        for rank in 0 ..< ranks {
            let expected = Self.correctReceive(name, count: count, rank: rank, ranks: ranks)
            #expect(operation.buffers(count: count, ranks: ranks).receive == expected.count)
            #expect(Self.wrong(name, expected, count: count, rank: rank, ranks: ranks) == 0)
        }
    }

    @Test(arguments: dataOperations)
    func everyCorruptedElementIsCounted(name: String) {
        let ranks = 4, count = 48, rank = 1
        var values = Self.correctReceive(name, count: count, rank: rank, ranks: ranks)
        values[0] = DataPattern.poison
        values[values.count - 1] += 1
        #expect(Self.wrong(name, values, count: count, rank: rank, ranks: ranks) == 2)
    }

    @Test(arguments: dataOperations)
    func aBlockFromTheWrongRankIsWrong(name: String) {
        // Rank 1's receive buffer checked as if it were rank 2's: a misrouted block or message.
        let values = Self.correctReceive(name, count: 48, rank: 1, ranks: 4)
        let misrouted = Self.wrong(name, values, count: 48, rank: 2, ranks: 4) ?? 0
        if name == "allreduce" || name == "allgather" || name == "broadcast" {
            #expect(misrouted == 0)  // the same on every rank
        } else {
            #expect(misrouted > 0)
        }
    }

    @Test func patternValuesDifferBetweenRanksAndSumsAreExactInFloat() {
        #expect(Set((0 ..< 251).map { DataPattern.value(rank: $0, index: 5) }).count == 251)
        let sums = DataPattern(ranks: 66_000)
        let largest = (0 ..< 251).map { sums.sumOverRanks(index: $0) }.max() ?? 0
        #expect(largest < 1 << 24)
        // The shortcut for whole periods of ranks agrees with adding every rank.
        for ranks in [1, 250, 251, 252, 600] {
            let pattern = DataPattern(ranks: ranks)
            for index in [0, 7, 250, 251, 1000] {
                let direct = (0 ..< ranks).reduce(0) { $0 + DataPattern.value(rank: $1, index: index) }
                #expect(pattern.sumOverRanks(index: index) == direct)
            }
        }
        #expect(!(1 ... 251).contains(DataPattern.poison))
    }
}

@testable import Collectives
import Testing

@Suite struct SizeSweepTests {
    @Test func doublesFromMinimumToMaximumInclusive() {
        let sweep = SizeSweep(minimum: ByteSize(bytes: 4), maximum: ByteSize(bytes: 64), elementSize: 4, granularity: 1)
        #expect(sweep.points.map(\.bytes) == [4, 8, 16, 32, 64])
        #expect(sweep.points.map(\.count) == [1, 2, 4, 8, 16])
    }

    @Test func roundsCountsDownToWholeBlocksPerRankAndDropsEmptyOrRepeatedSizes() {
        // alltoall on 3 ranks: counts must be multiples of 3 floats.
        let sweep = SizeSweep(minimum: ByteSize(bytes: 4), maximum: ByteSize(bytes: 64), elementSize: 4, granularity: 3)
        #expect(sweep.points.map(\.count) == [3, 6, 15])
        #expect(sweep.points.map(\.bytes) == [12, 24, 60])
    }

    @Test func stopsBelowAMaximumThatIsNotAPowerOfTwoTimesTheMinimum() {
        let sweep = SizeSweep(minimum: ByteSize(bytes: 1000), maximum: ByteSize(bytes: 5000), elementSize: 1, granularity: 1)
        #expect(sweep.points.map(\.bytes) == [1000, 2000, 4000])
    }

    @Test func survivesTheLargestSizesWithoutOverflow() {
        let sweep = SizeSweep(minimum: ByteSize(bytes: 1 << 61), maximum: ByteSize(bytes: Int.max), elementSize: 8, granularity: 1)
        #expect(sweep.points.count == 2)
    }

    @Test func iterationCountsScaleLikeOSUAndNcclTests() {
        let policy = IterationPolicy()
        #expect(policy.counts(forBytes: 4) == (200, 1000))
        #expect(policy.counts(forBytes: 8192) == (200, 1000))
        #expect(policy.counts(forBytes: 8193) == (10, 100))
        #expect(policy.counts(forBytes: 16 << 20) == (10, 100))
        #expect(policy.counts(forBytes: 256 << 20) == (5, 20))
    }

    @Test func iterationOverridesApplyAtEverySize() {
        let policy = IterationPolicy(iterations: 7, warmup: 0)
        #expect(policy.counts(forBytes: 4) == (0, 7))
        #expect(policy.counts(forBytes: 256 << 20) == (0, 7))
        #expect(IterationPolicy(iterations: 3).counts(forBytes: 4) == (200, 3))
    }
}

import Collectives
import Testing

/// The factors of nccl-tests doc/PERFORMANCE.md: allreduce 2(n-1)/n; allgather, reducescatter,
/// alltoall (n-1)/n; broadcast and point-to-point 1.
@Suite struct BusBandwidthTests {
    static func factor(_ name: String, _ n: Int) -> Double? {
        CollectiveCatalog.named(name)?.busBandwidthFactor(ranks: n)
    }

    @Test(arguments: [1, 2, 3, 4, 8, 16, 1000])
    func factorsAreNcclTests(ranks n: Int) {
        #expect(Self.factor("allreduce", n) == Double(2 * (n - 1)) / Double(n))
        #expect(Self.factor("allgather", n) == Double(n - 1) / Double(n))
        #expect(Self.factor("reducescatter", n) == Double(n - 1) / Double(n))
        #expect(Self.factor("alltoall", n) == Double(n - 1) / Double(n))
        #expect(Self.factor("broadcast", n) == 1)
        #expect(Self.factor("sendrecv", n) == 1)
        #expect(Self.factor("pingpong", n) == 1)
    }

    @Test func knownValues() {
        #expect(Self.factor("allreduce", 2) == 1)
        #expect(Self.factor("allreduce", 4) == 1.5)
        #expect(Self.factor("allreduce", 8) == 1.75)
        #expect(Self.factor("allgather", 4) == 0.75)
    }

    @Test func algorithmBandwidthIsSizeOverTimeInGBPerSecond() {
        #expect(Bandwidth.algorithm(bytes: 1_000_000_000, seconds: 0.5) == 2)
        #expect(Bandwidth.algorithm(bytes: 100, seconds: 0) == 0)
        #expect(Bandwidth.bus(algorithm: 2, factor: 1.5) == 3)
    }

    @Test func everyCatalogNameIsUniqueAndTheContractSixArePresent() {
        let names = CollectiveCatalog.names
        #expect(Set(names).count == names.count)
        for name in ["allreduce", "allgather", "reducescatter", "broadcast", "alltoall", "sendrecv"] {
            #expect(names.contains(name))
        }
        #expect(CollectiveCatalog.named("AllReduce")?.name == "allreduce")
        #expect(CollectiveCatalog.named("allreduc") == nil)
    }

    @Test func pairwiseOperationsNeedAnEvenNumberOfRanks() {
        for name in ["sendrecv", "pingpong"] {
            let operation = CollectiveCatalog.named(name)
            #expect(operation?.unsupportedReason(ranks: 1) != nil)
            #expect(operation?.unsupportedReason(ranks: 3) != nil)
            #expect(operation?.unsupportedReason(ranks: 4) == nil)
        }
        #expect(pairedRank(of: 0, ranks: 4) == 2)
        #expect(pairedRank(of: 3, ranks: 4) == 1)
    }
}

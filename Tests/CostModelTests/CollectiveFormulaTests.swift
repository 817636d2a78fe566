import Testing
@testable import CostModel
import Hardware

/// The alpha-beta collective formulas (Thakur, Rabenseifner and Gropp 2005; nccl-tests
/// doc/PERFORMANCE.md bus-bandwidth factors) on switched tiers, by hand on DGX A100 numbers.
@Suite struct CollectiveFormulaTests {
    /// nccl-tests bus factors at n = 8: all-reduce 2(n-1)/n, gather/scatter/all-to-all (n-1)/n,
    /// broadcast and p2p 1; latency steps: tree all-reduce 2 log2 n below the ring's 2(n-1),
    /// rings n - 1, broadcast log2 n.
    @Test func busFactorsAndLatencySteps() {
        #expect(CollectiveKind.allReduce.busFactor(ranks: 8) == 1.75)
        #expect(CollectiveKind.allGather.busFactor(ranks: 8) == 0.875)
        #expect(CollectiveKind.reduceScatter.busFactor(ranks: 8) == 0.875)
        #expect(CollectiveKind.allToAll.busFactor(ranks: 8) == 0.875)
        #expect(CollectiveKind.broadcast.busFactor(ranks: 8) == 1)
        #expect(CollectiveKind.allReduce.busFactor(ranks: 1) == 0)
        #expect(CollectiveKind.allReduce.latencySteps(ranks: 8) == 6)
        #expect(CollectiveKind.allReduce.latencySteps(ranks: 2) == 2)
        #expect(CollectiveKind.allGather.latencySteps(ranks: 8) == 7)
        #expect(CollectiveKind.allToAll.latencySteps(ranks: 8) == 7)
        #expect(CollectiveKind.broadcast.latencySteps(ranks: 8) == 3)
        #expect(CollectiveKind.sendRecv.latencySteps(ranks: 2) == 1)
    }

    /// Inside one DGX: NVLink at 300 x 0.77 GB/s, 1 us per hop.
    @Test func insideOneNode() {
        let cluster = dgxA100()
        let group = RankPlacement.Group(size: 8, ranksPerNode: 8)
        let bytes = 1e9
        #expect(near(CollectiveCost.seconds(.allReduce, bytes: bytes, group: group, cluster: cluster),
                     6e-6 + 1.75 * bytes / A100.nvlink))
        #expect(near(CollectiveCost.seconds(.allGather, bytes: bytes, group: group, cluster: cluster),
                     7e-6 + 0.875 * bytes / A100.nvlink))
        #expect(CollectiveCost.seconds(.allReduce, bytes: bytes, group: RankPlacement.Group(size: 1, ranksPerNode: 1),
                                       cluster: cluster) == 0)
    }

    /// Across two DGX (16 ranks, 8 per node): NCCL runs a ring per NIC, so the inter-node bytes
    /// move over 8 NICs (8 x 24 GB/s = 192 GB/s, below NVLink's 231); all-to-all sends each
    /// rank's off-node share 8/15 over its own NIC (24 / (8/15) = 45 GB/s); 4 us per hop.
    @Test func acrossTwoNodes() {
        let cluster = dgxA100()
        let group = RankPlacement.Group(size: 16, ranksPerNode: 8)
        let bytes = 1e9
        #expect(near(CollectiveCost.seconds(.allGather, bytes: bytes, group: group, cluster: cluster),
                     15 * 4e-6 + 15.0 / 16 * bytes / (8 * A100.nic)))
        #expect(near(CollectiveCost.seconds(.allToAll, bytes: bytes, group: group, cluster: cluster),
                     15 * 4e-6 + 15.0 / 16 * bytes / (A100.nic / (8.0 / 15))))
        // One rank per node: a single NIC, not capped by NVLink.
        let sparse = RankPlacement.Group(size: 4, ranksPerNode: 1)
        #expect(near(CollectiveCost.seconds(.reduceScatter, bytes: bytes, group: sparse, cluster: cluster),
                     3 * 4e-6 + 0.75 * bytes / A100.nic))
    }

    /// Point to point: one hop and the tier's bandwidth.
    @Test func pointToPoint() {
        let cluster = dgxA100()
        #expect(near(CollectiveCost.pointToPointSeconds(bytes: 1e8, sameNode: true, cluster: cluster), 1e-6 + 1e8 / A100.nvlink))
        #expect(near(CollectiveCost.pointToPointSeconds(bytes: 1e8, sameNode: false, cluster: cluster), 4e-6 + 1e8 / A100.nic))
        #expect(CollectiveCost.pointToPointSeconds(bytes: 0, sameNode: false, cluster: cluster) == 0)
    }
}

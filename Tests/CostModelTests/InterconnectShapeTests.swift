import Foundation
import Testing
@testable import CostModel
import Hardware
import Workloads

private func preset(_ name: String) throws -> ClusterTopology { try TopologyCatalog.load(name) }

private func close(_ a: Double, _ b: Double, _ tolerance: Double = 1e-9) -> Bool {
    abs(a - b) <= tolerance * max(abs(a), abs(b), 1e-30)
}

/// Collectives take the shape a group spans: NVLink domains larger than a host, PCIe-only hosts,
/// torus axes and slices. Expected values are the formulas written out by hand with the
/// datasheet numbers of the topology files.
@Suite struct InterconnectShapeTests {
    // MARK: NVL72: 4-GPU hosts in 72-GPU NVLink domains

    /// 256 GPUs on GB300 NVL72 (three full racks and 40 GPUs of a fourth), TP 8 x DP 32: the TP
    /// group stays in one NVLink domain; the DP group (ranks 0, 8, ..., 248) has 9 ranks in each
    /// of the full racks and 5 in the last, so its inter-rack traffic uses 5 NICs.
    @Test func gb300With256GPUsIsValidAndItsGroupsSeeTheRightTiers() throws {
        let cluster = try preset("gb300-nvl72")
        try cluster.checkGPUCount(256)
        let layout = ParallelLayout(tp: 8, pp: 1, dp: 32, microBatch: 1, globalBatch: 256)
        let placement = RankPlacement(layout: layout, gpusPerNode: cluster.acceleratorsPerNode)
        let tpShape = placement.tensorGroup.shape(on: cluster)
        #expect(!tpShape.crossesDomains)
        #expect(tpShape.ranksPerDomain == 8)
        #expect(tpShape.ranksPerHost == 4)          // a TP group of 8 spans two 4-GPU hosts
        let dpShape = placement.dataGroup.shape(on: cluster)
        #expect(dpShape.crossesDomains)
        #expect(dpShape.ranksPerDomain == 5)        // 40 GPUs in the last rack / stride 8
        #expect(dpShape.ranksPerHost == 1)

        // DP all-reduce of 1 GB: NCCL ring over 5 NICs of 100 GB/s x 0.94 = 470 GB/s, below the
        // NVLink tier's 900 x 0.76 = 684 GB/s; latency 4 us x min(2 x 31, 2 log2 32 = 10) steps.
        let bytes = 1e9
        let expected = 10 * 4e-6 + 2.0 * 31 / 32 * bytes / (5 * 100e9 * 0.94)
        let seconds = CollectiveCost.seconds(.allReduce, bytes: bytes, group: placement.dataGroup, cluster: cluster)
        #expect(close(seconds, expected), "\(seconds) vs \(expected)")
        // TP all-reduce inside the rack: 900 GB/s x 0.76, 1 us x min(14, 6) steps.
        let tp = CollectiveCost.seconds(.allReduce, bytes: bytes, group: placement.tensorGroup, cluster: cluster)
        #expect(close(tp, 6 * 1e-6 + 2.0 * 7 / 8 * bytes / (900e9 * 0.76)))

        let estimate = Estimator(model: megatronGPT(layers: 24, hidden: 4096, heads: 32), cluster: cluster).estimate(layout, recipe: TrainingRecipe())
        #expect(estimate.stepTimeS.isFinite && estimate.stepTimeS > 0)
    }

    /// Partly filled last domain, counted exactly; the whole-domain cases keep today's
    /// min(size, domain / stride).
    @Test func fewestRanksPerDomain() {
        #expect(RankPlacement.fewestPerDomain(size: 32, stride: 8, domain: 72) == 5)
        #expect(RankPlacement.fewestPerDomain(size: 9, stride: 8, domain: 72) == 9)
        #expect(RankPlacement.fewestPerDomain(size: 16, stride: 8, domain: 8) == 1)
        #expect(RankPlacement.fewestPerDomain(size: 64, stride: 2, domain: 8) == 4)
        #expect(RankPlacement.fewestPerDomain(size: 4, stride: 3, domain: 8) == 1)   // 0,3,6 | 9
    }

    // MARK: PCIe-only hosts

    /// 8 A100 PCIe GPUs without NVLink: an all-reduce runs at the PCIe Gen4 x16 rate
    /// (32 GB/s per direction) x 0.8 bus efficiency, 2 us per step over min(14, 2 log2 8 = 6) steps.
    @Test func pcieHostAllReduceUsesPCIeBandwidth() throws {
        let cluster = try preset("a100-80gb-pcie")
        #expect(cluster.interconnect == .pcie)
        let group = RankPlacement.Group(size: 8, ranksPerNode: 8)
        let bytes = 2e9
        let seconds = CollectiveCost.seconds(.allReduce, bytes: bytes, group: group, cluster: cluster)
        let expected = 6 * 2e-6 + 2.0 * 7 / 8 * bytes / (32e9 * 0.8)
        #expect(close(seconds, expected), "\(seconds) vs \(expected)")
        // Ten times slower than NVLink3 on the SXM part (300 GB/s x 0.772): the tier matters.
        let sxm = CollectiveCost.seconds(.allReduce, bytes: bytes, group: group, cluster: try preset("dgx-a100-80gb"))
        #expect(seconds > 8 * sxm)
    }

    /// On a PCIe host the GPU-to-GPU path is capped by the host link when the file gives a faster
    /// scale-up figure.
    @Test func pcieScaleUpIsCappedByTheHostLink() throws {
        var cluster = try preset("a100-80gb-pcie")
        cluster.node.scaleUp.bandwidthGBps = 64
        cluster.node.hostLinkGBps = 32
        let group = RankPlacement.Group(size: 2, ranksPerNode: 2)
        let seconds = CollectiveCost.seconds(.allGather, bytes: 1e9, group: group, cluster: cluster)
        #expect(close(seconds, 1 * 2e-6 + 0.5 * 1e9 / (32e9 * 0.8)))
    }

    // MARK: Torus (JAX scaling book, "Sharded Matrices": T = V / (W_ici x N_axes))

    /// All-gather of V = 1 GB on a TPU v4 4x4x4 slice (64 chips, every axis a closed ring since
    /// 4 is a multiple of 4) over 1, 2 and 3 axes: per axis two links (bidirectional ring) of
    /// 50 GB/s x 0.89; hops |X_i| / 2 per axis at 1 us.
    ///   1 axis (4 chips):  2 us + (3/4)   V / (1 x 2 x 50e9 x 0.89)
    ///   2 axes (16 chips): 4 us + (15/16) V / (2 x 2 x 50e9 x 0.89)
    ///   3 axes (64 chips): 6 us + (63/64) V / (3 x 2 x 50e9 x 0.89)
    @Test func torusAllGatherOverOneTwoThreeAxes() throws {
        let cluster = try preset("tpu-v4")
        let v = 1e9
        let w = 2 * 50e9 * 0.89
        var times: [Double] = []
        for (size, axes) in [(4, 1), (16, 2), (64, 3)] {
            let group = RankPlacement.Group(size: size, ranksPerNode: size, stride: 1, jobRanks: 64)
            let shape = group.shape(on: cluster)
            #expect(shape.torusAxes.count == axes)
            #expect(shape.torusAxes.allSatisfy { $0.ring })
            let n = Double(size)
            let expected = Double(2 * axes) * 1e-6 + (n - 1) / n * v / (Double(axes) * w)
            let seconds = CollectiveCost.seconds(.allGather, bytes: v, group: group, cluster: cluster)
            #expect(close(seconds, expected), "\(axes) axes: \(seconds) vs \(expected)")
            times.append(seconds)
        }
        // The book's rule: bandwidth grows with the number of axes; with the ring factor (n-1)/n,
        // 2 axes take (15/16)/(2 x 3/4) = 0.625 and 3 axes (63/64)/(3 x 3/4) = 0.4375 of 1 axis.
        #expect(abs(times[1] / times[0] - 0.625) < 0.01 && abs(times[2] / times[0] - 0.4375) < 0.01)
        // All-reduce is twice the all-gather (reduce-scatter + all-gather).
        let group = RankPlacement.Group(size: 16, ranksPerNode: 16, stride: 1, jobRanks: 64)
        let ag = CollectiveCost.seconds(.allGather, bytes: v, group: group, cluster: cluster)
        #expect(close(CollectiveCost.seconds(.allReduce, bytes: v, group: group, cluster: cluster), 2 * ag))
    }

    /// A v5e axis of 4 chips has no wraparound (v5e wraps only a full 16-chip axis): a line at the
    /// one-way link rate, (N-1) V/N / W_uni, as the book's 4x4 v5e example; 3 hops of 1 us.
    @Test func torusAxisWithoutWraparoundIsALine() throws {
        let cluster = try preset("tpu-v5e")
        let group = RankPlacement.Group(size: 4, ranksPerNode: 4, stride: 1, jobRanks: 16)
        let shape = group.shape(on: cluster)
        #expect(shape.torusAxes.count == 1)
        #expect(shape.torusAxes.first?.ring == false)
        let v = 34e6
        let expected = 3e-6 + 0.75 * v / (50e9 * 0.95)
        #expect(close(CollectiveCost.seconds(.allGather, bytes: v, group: group, cluster: cluster), expected))
    }

    /// Two v5e slices of 256 chips joined over DCN: an all-reduce of V over all 512 runs inside
    /// each slice over both ring axes (2 x 2 links of 50 GB/s x 0.95; 2 x (8 + 8) hops), then
    /// between the slices on V/256 per chip at its DCN share (2 x 100 Gb/s per 8-chip host =
    /// 3.125 GB/s x 0.9), 2 steps of 10 us.
    @Test func slicesJoinedOverDCN() throws {
        let cluster = try preset("tpu-v5e")
        let group = RankPlacement.Group(size: 512, ranksPerNode: 256, stride: 1, jobRanks: 512)
        let shape = group.shape(on: cluster)
        #expect(shape.ranksPerDomain == 256)
        #expect(shape.domains == 2)
        let v = 1e9
        let ici = 2 * 16 * 1e-6 + 2.0 * 255 / 256 * v / (4 * 50e9 * 0.95)
        let dcn = 2 * 10e-6 + 2.0 * (1.0 / 2) * (v / 256) / (3.125e9 * 0.9)
        let seconds = CollectiveCost.seconds(.allReduce, bytes: v, group: group, cluster: cluster)
        #expect(close(seconds, ici + dcn), "\(seconds) vs \(ici + dcn)")
    }

    /// Interleaved groups share an axis's links: DP over axis 0 of a 16x16 v5e slice with members
    /// 4 apart (TP 4 inside) gets 4/16 of the ring's two links.
    @Test func interleavedGroupsShareLinks() throws {
        let cluster = try preset("tpu-v5e")
        let group = RankPlacement.Group(size: 4, ranksPerNode: 4, stride: 4, jobRanks: 256)
        let axis = try #require(group.shape(on: cluster).torusAxes.first)
        #expect(axis.ring && axis.extent == 4 && axis.axisLength == 16)
        #expect(axis.links == 0.5)
    }

    /// The closed-form coverage of an axis agrees with listing every member's coordinate:
    /// floor(k x stride / place) mod length for k < members.
    @Test func axisCoverageMatchesListingTheMembers() {
        for length in [2, 4, 6, 12, 16] {
            for place in [1, 2, 4, 16, 48] {
                for stride in [1, 2, 3, 4, 8, 12, 16, 64] {
                    for members in [1, 2, 3, 4, 5, 8, 16, 40, 256] {
                        let coordinates = (0..<members).map { ($0 * stride / place) % length }
                        let expected = (coordinates.min()!, coordinates.max()!, Set(coordinates).count)
                        let got = RankPlacement.Group.coverage(members: members, stride: stride, place: place, length: length)
                        #expect(got == expected, "length \(length) place \(place) stride \(stride) members \(members)")
                    }
                }
            }
        }
    }

    /// A placement with the job's own slice size (PaLM: two TPU v4 pods of 3,072 chips, 12x16x16)
    /// puts the 2-way data-parallel group across the two slices, over DCN: an all-reduce of V adds
    /// 2 x 10 us + 2 x (1/2) x V / (6.25 GB/s x 0.9) per chip (one member per slice).
    @Test func placementSliceSizeSetsTheSlices() throws {
        let cluster = try preset("tpu-v4")
        let placement = RankPlacement(layout: ParallelLayout(tp: 3072, pp: 1, dp: 2, microBatch: 1, globalBatch: 2),
                                      gpusPerNode: 3072)
        let shape = placement.dataGroup.shape(on: cluster)
        #expect(shape.ranksPerDomain == 1 && shape.domains == 2 && shape.torusAxes.isEmpty)
        let v = 1e9
        let expected = 2 * 10e-6 + 2.0 * 0.5 * v / (6.25e9 * 0.9)
        let seconds = CollectiveCost.seconds(.allReduce, bytes: v, group: placement.dataGroup, cluster: cluster)
        #expect(close(seconds, expected), "\(seconds) vs \(expected)")
        // The 3,072-chip group inside a slice spans all three axes of 12x16x16.
        #expect(placement.tensorGroup.shape(on: cluster).torusAxes.map(\.axisLength) == [12, 16, 16])
    }
}

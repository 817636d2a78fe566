import CostModel
import Testing

/// The host-memory check of an estimate (`HostMemoryReport`) on a DGX A100 640GB node: 8 GPUs and
/// 2 TB of system memory (NVIDIA DGX A100 datasheet; the topology states it as 2,048 GiB).
@Suite struct HostMemoryReportTests {
    static let gib = 1_073_741_824.0

    func report(perGpuGiB: Double, gpus: Int) -> HostMemoryReport {
        var loaded = MemoryBreakdown()
        loaded.host = perGpuGiB * Self.gib
        var light = MemoryBreakdown()
        light.host = 1 * Self.gib
        return HostMemoryReport(stages: [light, loaded], gpus: gpus, cluster: dgxA100())
    }

    /// The capacity is 2,048 GiB = 2,199,023,255,552 bytes (not 2,048e9).
    @Test func capacityIsTheNodesHostMemoryInGiB() {
        #expect(report(perGpuGiB: 0, gpus: 8).capacity == 2_199_023_255_552)
        // 1,000 GiB for each of 2 GPUs: 2,000 GiB fits in 2,048 GiB (it would not in 2,048 GB,
        // 1,907 GiB).
        let two = report(perGpuGiB: 1000, gpus: 2)
        #expect(two.perHost == 2000 * Self.gib)
        #expect(two.fits)
    }

    /// A host holds the states of the job's GPUs on it, the most loaded stage's per GPU: 2 GPUs
    /// of 600 GiB share one host (1,200 GiB, fits); 4 of them need 2,400 GiB (does not); 16 GPUs
    /// fill two hosts of 8 (4,800 GiB each, does not).
    @Test func aHostHoldsItsOwnGPUsStates() {
        #expect(report(perGpuGiB: 600, gpus: 2).perHost == 1200 * Self.gib)
        #expect(report(perGpuGiB: 600, gpus: 2).fits)
        #expect(!report(perGpuGiB: 600, gpus: 4).fits)
        #expect(report(perGpuGiB: 600, gpus: 16).perHost == 4800 * Self.gib)
    }
}

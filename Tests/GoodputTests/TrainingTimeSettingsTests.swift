import CostModel
import Foundation
import Goodput
import Hardware
import Testing
import Workloads

/// How a command's settings become one job's recovery settings on a cluster.
@Suite struct TrainingTimeSettingsTests {
    static func checkpoint(gpus: Int, bytes: Double) -> CheckpointSize {
        CheckpointSize(weightBytes: bytes / 7, masterWeightBytes: 2 * bytes / 7, optimizerMomentBytes: 4 * bytes / 7,
                       heldPerGPUBytes: bytes, gpus: gpus)
    }

    /// The job writes at hosts x the per-host bandwidth: 1,000 GPUs on 8-GPU DGX H100 hosts are
    /// ceil(1000 / 8) = 125 hosts; at the default 2,000 / 2,048 GB/s per host, 122.07 GB/s.
    @Test func jobBandwidthIsHostsTimesPerHost() throws {
        let cluster = try TopologyCatalog.load("dgx-h100")
        let settings = TrainingTimeSettings(tokens: 1e12)
        let recovery = try settings.recovery(cluster: cluster, checkpoint: Self.checkpoint(gpus: 1000, bytes: 1e12))
        #expect(abs(recovery.writeBandwidthBytesPerSecond - 125 * 2000 / 2048 * 1e9) < 1)
        var given = settings
        given.checkpointGBpsPerHost = 4
        #expect(try given.recovery(cluster: cluster, checkpoint: Self.checkpoint(gpus: 1000, bytes: 1e12))
            .writeBandwidthBytesPerSecond == 500e9)
        // The cluster's own field comes before the default.
        var fast = cluster
        fast.checkpointBandwidthGBps = 10
        #expect(try settings.recovery(cluster: fast, checkpoint: Self.checkpoint(gpus: 1000, bytes: 1e12))
            .writeBandwidthBytesPerSecond == 1250e9)
    }

    /// Async: the stall is the given one, at most the blocking write (1 TB at 125 GB/s = 8 s).
    /// In-memory: each GPU copies its 1e12 / 1,024 bytes over its 50 GB/s NDR link: 19.5 ms.
    @Test func stallAndInMemoryCopy() throws {
        let cluster = try TopologyCatalog.load("dgx-h100")
        let checkpoint = Self.checkpoint(gpus: 1024, bytes: 1e12)
        let async = try TrainingTimeSettings(tokens: 1e12, mode: .async, stallSeconds: 30)
            .recovery(cluster: cluster, checkpoint: checkpoint)
        #expect(async.checkpointMode == .asynchronous(blockingSeconds: 1e12 / (128 * 2000 / 2048 * 1e9)))
        let memory = try TrainingTimeSettings(tokens: 1e12, mode: .inMemory, stallSeconds: 2)
            .recovery(cluster: cluster, checkpoint: checkpoint)
        let copy = 1e12 / 1024 / 50e9
        #expect(memory.checkpointMode == .inMemory(blockingSeconds: 2, replicationSeconds: copy, reloadSeconds: copy))
    }

    /// The failure rate: given, else the cluster's, else Llama 3's.
    @Test func failureRatePrecedence() throws {
        var cluster = try TopologyCatalog.load("dgx-h100")
        #expect(try TrainingTimeSettings(tokens: 1).failureRate(on: cluster) == .llama3)
        cluster.failureRatePerAcceleratorHour = 1e-4
        #expect(try TrainingTimeSettings(tokens: 1).failureRate(on: cluster).perAcceleratorHour == 1e-4)
        let given = try FailureRate(perAcceleratorHour: 3e-5, source: "given")
        #expect(try TrainingTimeSettings(tokens: 1, failureRate: given).failureRate(on: cluster).perAcceleratorHour == 3e-5)
    }
}

import CostModel
import Hardware
import Workloads

/// The time-to-train question a command asks about a layout: how many tokens, and the failure and
/// checkpoint settings as the user gave them (nil = the cluster's, else the defaults). Turned into
/// `RecoverySettings` for one job by `recovery(cluster:checkpoint:)`, which is where the job's
/// size enters: its GPU count sets the failure rate of the whole job, its hosts the write bandwidth,
/// its per-GPU shard the in-memory copy time.
public struct TrainingTimeSettings: Sendable, Hashable {
    /// How a checkpoint is taken, before its times are known.
    public enum Mode: String, Sendable, Hashable, Codable, CaseIterable {
        case blocking
        case async
        case inMemory = "in-memory"
    }

    public var tokens: Double
    /// Interruptions per accelerator-hour; nil = the cluster's `failure_rate_per_accelerator_hour`,
    /// else Llama 3's (`FailureRate.llama3`).
    public var failureRate: FailureRate?
    /// Write bandwidth per host to checkpoint storage, GB/s; nil = the cluster's
    /// `checkpoint_bandwidth_gbps`, else `CostModelConstants.checkpointWriteGBpsPerHost`.
    public var checkpointGBpsPerHost: Double?
    public var mode: Mode
    /// Training stall of an asynchronous or in-memory checkpoint, seconds; nil =
    /// `CostModelConstants.asyncCheckpointStallSeconds`.
    public var stallSeconds: Double?
    public var detectionSeconds: Double
    public var restartSeconds: Double
    /// Fixed compute time between checkpoints, seconds; nil = Daly's optimum.
    public var intervalSeconds: Double?
    /// Price of one accelerator-hour, any currency; nil = no cost.
    public var pricePerAcceleratorHour: Double?

    public init(tokens: Double, failureRate: FailureRate? = nil, checkpointGBpsPerHost: Double? = nil,
                mode: Mode = .blocking, stallSeconds: Double? = nil,
                detectionSeconds: Double = CostModelConstants.detectionSeconds,
                restartSeconds: Double = CostModelConstants.restartSeconds, intervalSeconds: Double? = nil,
                pricePerAcceleratorHour: Double? = nil) {
        self.tokens = tokens
        self.failureRate = failureRate
        self.checkpointGBpsPerHost = checkpointGBpsPerHost
        self.mode = mode
        self.stallSeconds = stallSeconds
        self.detectionSeconds = detectionSeconds
        self.restartSeconds = restartSeconds
        self.intervalSeconds = intervalSeconds
        self.pricePerAcceleratorHour = pricePerAcceleratorHour
    }

    /// The failure rate used on `cluster`.
    public func failureRate(on cluster: ClusterTopology) throws -> FailureRate {
        if let failureRate { return failureRate }
        if let rate = cluster.failureRatePerAcceleratorHour {
            return try FailureRate(perAcceleratorHour: rate, source: "\(cluster.name): failure_rate_per_accelerator_hour")
        }
        return .llama3
    }

    /// Write bandwidth of one host, GB/s, used on `cluster`.
    public func hostWriteGBps(on cluster: ClusterTopology) -> Double {
        checkpointGBpsPerHost ?? cluster.checkpointBandwidthGBps ?? CostModelConstants.checkpointWriteGBpsPerHost
    }

    /// Recovery settings for the job that saves `checkpoint` on `cluster`: the job writes at
    /// hosts x the per-host bandwidth (hosts = ceil(GPUs / accelerators per host)); an in-memory
    /// snapshot is copied to and read back from a peer at the scale-out bandwidth of one GPU
    /// (each GPU sends its own shard, `CheckpointSize.writtenPerGPUBytes`).
    public func recovery(cluster: ClusterTopology, checkpoint: CheckpointSize) throws -> RecoverySettings {
        let perHost = hostWriteGBps(on: cluster)
        try GoodputError.requirePositive(perHost, "checkpoint bandwidth (GB/s per host)")
        let perHostGPUs = max(cluster.acceleratorsPerHost, 1)
        let hosts = Double((checkpoint.gpus + perHostGPUs - 1) / perHostGPUs)
        let jobBandwidth = hosts * perHost * 1e9
        // A copy to host memory that took longer than the write itself would not be chosen: the
        // stall is at most the blocking write.
        let stall = min(stallSeconds ?? CostModelConstants.asyncCheckpointStallSeconds,
                        checkpoint.totalBytes / jobBandwidth)
        let checkpointMode: CheckpointMode
        switch mode {
        case .blocking:
            checkpointMode = .blocking
        case .async:
            checkpointMode = .asynchronous(blockingSeconds: stall)
        case .inMemory:
            let copy = checkpoint.writtenPerGPUBytes / (cluster.scaleOut.bandwidthGBps * 1e9)
            checkpointMode = .inMemory(blockingSeconds: stall, replicationSeconds: copy, reloadSeconds: copy)
        }
        return RecoverySettings(failureRate: try failureRate(on: cluster), checkpointMode: checkpointMode,
                                writeBandwidthBytesPerSecond: jobBandwidth,
                                detectionSeconds: detectionSeconds, restartSeconds: restartSeconds,
                                intervalSeconds: intervalSeconds)
    }

    /// The time to train of `estimate` (its tokens/s, its layout's checkpoint) of `model` on `cluster`.
    public func timeToTrain(_ estimate: Estimate, model: TransformerModel,
                            cluster: ClusterTopology) throws -> TimeToTrainReport {
        let l = estimate.layout
        let layout = ParallelLayout(tp: l.tp, pp: l.pp, dp: l.dp, cp: l.cp, ep: l.ep, vpp: l.vpp, zero: l.zero,
                                    sequenceParallel: l.sequenceParallel, microBatch: l.microBatch,
                                    globalBatch: l.globalBatch, seq: l.seq, schedule: l.schedule)
        let checkpoint = CheckpointSize.of(model: model, geometry: LayerGeometry(model: model), layout: layout,
                                           recipe: estimate.recipe.recipe)
        return try timeToTrain(tokensPerSecond: estimate.tokensPerS, cluster: cluster, checkpoint: checkpoint)
    }

    /// The time to train at `tokensPerSecond` (the whole job's) saving `checkpoint` on `cluster`.
    public func timeToTrain(tokensPerSecond: Double, cluster: ClusterTopology,
                            checkpoint: CheckpointSize) throws -> TimeToTrainReport {
        let settings = try recovery(cluster: cluster, checkpoint: checkpoint)
        let time = try TimeToTrain.compute(tokens: tokens, tokensPerSecond: tokensPerSecond,
                                           accelerators: checkpoint.gpus, checkpointBytes: checkpoint.totalBytes,
                                           settings: settings, pricePerAcceleratorHour: pricePerAcceleratorHour)
        return TimeToTrainReport(time, checkpoint: checkpoint, settings: settings,
                                 hostWriteGBps: hostWriteGBps(on: cluster))
    }
}

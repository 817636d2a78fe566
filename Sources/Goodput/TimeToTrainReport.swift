import CostModel

/// The `time_to_train` object of `estimate`, `plan` and `report --format json`: days,
/// accelerator-hours and cost with and without failures, goodput, the checkpoint (what it holds,
/// its size, how long it blocks) and the expected interruptions. Units are in the key names.
public struct TimeToTrainReport: Sendable, Hashable, Codable {
    public var tokens: Double
    public var tokensPerS: Double
    public var gpus: Int
    /// Without failures or checkpoints: tokens / (tokens/s).
    public var idealDays: Double
    /// With failures, checkpoints and recovery: ideal / goodput.
    public var expectedDays: Double
    public var idealGpuHours: Double
    public var expectedGpuHours: Double
    public var idealCost: Double?
    public var expectedCost: Double?
    public var goodput: Double
    /// Expected unexpected interruptions over the run.
    public var expectedInterruptions: Double
    /// The job's mean time between interruptions, hours: 1 / (GPUs x rate).
    public var jobMtbfHours: Double
    public var failureRatePerGpuHour: Double
    public var checkpointMode: String
    /// Compute time between checkpoints, seconds (Daly 2006 unless fixed).
    public var checkpointIntervalS: Double
    public var youngIntervalS: Double
    /// Checkpoint contents and size: weights, fp32 master weights, optimizer moments, bytes.
    public var checkpointBytes: Double
    public var checkpointWeightsBytes: Double
    public var checkpointMasterWeightsBytes: Double
    public var checkpointOptimizerMomentsBytes: Double
    /// What each GPU writes (fully parallel save) and what the most loaded GPU holds, bytes.
    public var checkpointBytesPerGpu: Double
    public var checkpointHeldBytesPerGpu: Double
    /// Storage bandwidth: per host and for the whole job, GB/s.
    public var checkpointGbpsPerHost: Double
    public var checkpointGbpsJob: Double
    /// Checkpoint write time at the job's bandwidth, and the training stall per checkpoint, seconds.
    public var checkpointWriteS: Double
    public var checkpointBlockingS: Double
    /// Time after the stall until the snapshot is safe (async: the write; in-memory: the copy to a
    /// peer), running behind the following steps, seconds; 0 for blocking checkpoints.
    public var checkpointBackgroundS: Double
    /// Down time (detection + restart + reload) and recompute per interruption, seconds.
    public var downtimePerFailureS: Double
    public var recomputePerFailureS: Double

    public init(_ time: TimeToTrain, checkpoint: CheckpointSize, settings: RecoverySettings, hostWriteGBps: Double) {
        let b = time.breakdown
        tokens = time.tokens
        tokensPerS = time.tokensPerSecond
        gpus = time.accelerators
        idealDays = time.idealDays
        expectedDays = time.expectedDays
        idealGpuHours = time.idealAcceleratorHours
        expectedGpuHours = time.expectedAcceleratorHours
        idealCost = time.idealCost
        expectedCost = time.expectedCost
        goodput = time.goodput
        expectedInterruptions = time.expectedInterruptions
        jobMtbfHours = b.mtbfSeconds / 3600
        failureRatePerGpuHour = settings.failureRate.perAcceleratorHour
        checkpointMode = settings.checkpointMode.name
        checkpointIntervalS = b.intervalSeconds
        youngIntervalS = b.youngIntervalSeconds
        checkpointBytes = checkpoint.totalBytes
        checkpointWeightsBytes = checkpoint.weightBytes
        checkpointMasterWeightsBytes = checkpoint.masterWeightBytes
        checkpointOptimizerMomentsBytes = checkpoint.optimizerMomentBytes
        checkpointBytesPerGpu = checkpoint.writtenPerGPUBytes
        checkpointHeldBytesPerGpu = checkpoint.heldPerGPUBytes
        checkpointGbpsPerHost = hostWriteGBps
        checkpointGbpsJob = settings.writeBandwidthBytesPerSecond / 1e9
        checkpointWriteS = b.writeSeconds
        checkpointBlockingS = b.blockingSeconds
        checkpointBackgroundS = b.durableLagSeconds
        downtimePerFailureS = b.downtimePerFailureSeconds
        recomputePerFailureS = b.recomputePerFailureSeconds
    }
}

/// The share of wall-clock time that advances training, for one job.
///
/// Unexpected interruptions follow Daly 2006's complete model ("A higher order estimate of the optimum
/// checkpoint interval for restart dumps", FGCS 22(3)): with
/// exponentially distributed failures of mean M, checkpoint interval tau (compute), blocking
/// checkpoint cost delta and recovery R, the expected wall time to finish T_s of compute is
/// T_w = M e^(R/M) (e^((tau + delta)/M) - 1) T_s / tau, so goodput = T_s / T_w. Recovery R is
/// detection + restart + wait for a spare + reload + the durable lag of an asynchronous or
/// in-memory checkpoint (a failure within the lag after a snapshot, probability lag / tau, falls
/// back one more snapshot and recomputes tau more: lag on average). The recompute since the last checkpoint is inside the
/// formula (on average about (tau + delta)/2 per failure, Young 1974).
/// Planned maintenance then removes its share of the week: goodput x (1 - maintenance share).
public struct GoodputBreakdown: Sendable, Hashable, Codable {
    /// Job mean time between unexpected interruptions, seconds.
    public var mtbfSeconds: Double
    /// Checkpoint write time at the storage bandwidth, seconds.
    public var writeSeconds: Double
    /// Training stall per checkpoint, seconds.
    public var blockingSeconds: Double
    /// Snapshot-to-durable lag beyond the stall, seconds.
    public var durableLagSeconds: Double
    /// The interval used (compute seconds between checkpoints).
    public var intervalSeconds: Double
    /// Young's and Daly's optimal intervals for this stall and MTBF, seconds.
    public var youngIntervalSeconds: Double
    public var dalyIntervalSeconds: Double
    /// Down time per interruption before training resumes: detection + restart + spare wait + reload.
    public var downtimePerFailureSeconds: Double
    /// Expected recompute per interruption (first order): (tau + delta) / 2 + durable lag.
    public var recomputePerFailureSeconds: Double
    /// Goodput against unexpected failures and checkpoint stalls only.
    public var failureGoodput: Double
    /// Share of wall time taken by planned maintenance.
    public var maintenanceShare: Double
    /// Overall goodput, in (0, 1].
    public var goodput: Double

    /// Average time lost per unexpected interruption, seconds.
    public var lostPerFailureSeconds: Double { downtimePerFailureSeconds + recomputePerFailureSeconds }

    /// Computes the breakdown for `accelerators` running with `checkpointBytes` to save.
    public static func compute(accelerators: Int, checkpointBytes: Double,
                               settings: RecoverySettings) throws -> GoodputBreakdown {
        let mtbf = try settings.failureRate.jobMTBFSeconds(accelerators: accelerators)
        guard mtbf.isFinite else {
            throw GoodputError("failure rate \(settings.failureRate.perAcceleratorHour) per accelerator-hour is too small: "
                               + "the mean time between failures of \(accelerators) accelerators is not finite")
        }
        try GoodputError.requirePositive(checkpointBytes, "checkpoint size (bytes)")
        try GoodputError.requirePositive(settings.writeBandwidthBytesPerSecond, "checkpoint write bandwidth (bytes/s)")
        let write = checkpointBytes / settings.writeBandwidthBytesPerSecond
        let storageReload = settings.reloadSeconds ?? write
        try GoodputError.requireNonNegative(storageReload, "checkpoint reload time (s)")
        try GoodputError.requireNonNegative(settings.detectionSeconds, "failure detection time (s)")
        try GoodputError.requireNonNegative(settings.restartSeconds, "restart time (s)")

        let cost = try CheckpointCost(mode: settings.checkpointMode, writeSeconds: write,
                                      storageReloadSeconds: storageReload)
        let young = CheckpointInterval.young(delta: cost.blockingSeconds, mtbf: mtbf)
        let daly = CheckpointInterval.daly(delta: cost.blockingSeconds, mtbf: mtbf)
        let interval: Double
        if let fixed = settings.intervalSeconds {
            try GoodputError.requirePositive(fixed, "checkpoint interval (s)")
            guard fixed >= cost.durableLagSeconds else {
                throw GoodputError("checkpoint interval \(fixed) s is shorter than the \(settings.checkpointMode.name) "
                                   + "checkpoint's write time \(cost.durableLagSeconds) s; a new checkpoint cannot "
                                   + "start before the last one is saved")
            }
            interval = fixed
        } else {
            interval = max(daly, cost.durableLagSeconds)
        }

        let spareWait = try spareWaitSeconds(settings: settings, accelerators: accelerators)
        let downtime = settings.detectionSeconds + settings.restartSeconds + spareWait + cost.reloadSeconds
        let recovery = downtime + cost.durableLagSeconds
        let failureGoodput = interval
            / (mtbf * exp(recovery / mtbf) * expm1((interval + cost.blockingSeconds) / mtbf))

        let maintenanceShare = try maintenanceShare(settings: settings, reloadSeconds: cost.reloadSeconds)
        return GoodputBreakdown(
            mtbfSeconds: mtbf, writeSeconds: write, blockingSeconds: cost.blockingSeconds,
            durableLagSeconds: cost.durableLagSeconds, intervalSeconds: interval,
            youngIntervalSeconds: young, dalyIntervalSeconds: daly, downtimePerFailureSeconds: downtime,
            recomputePerFailureSeconds: (interval + cost.blockingSeconds) / 2 + cost.durableLagSeconds,
            failureGoodput: failureGoodput, maintenanceShare: maintenanceShare,
            goodput: failureGoodput * (1 - maintenanceShare))
    }

    private static func spareWaitSeconds(settings: RecoverySettings, accelerators: Int) throws -> Double {
        guard let spares = settings.spares else { return 0 }
        guard spares.spareNodes >= 0 else {
            throw GoodputError("spare nodes is \(spares.spareNodes), must be >= 0")
        }
        try GoodputError.requireNonNegative(spares.repairHours, "node repair time (hours)")
        let hardwarePerHour = settings.failureRate.perAcceleratorHour * settings.failureRate.hardwareShare
            * Double(accelerators)
        return settings.failureRate.hardwareShare
            * spares.expectedWaitSeconds(hardwareFailuresPerHour: hardwarePerHour)
    }

    private static func maintenanceShare(settings: RecoverySettings, reloadSeconds: Double) throws -> Double {
        guard let maintenance = settings.maintenance else { return 0 }
        try GoodputError.requireNonNegative(maintenance.eventsPerWeek, "planned maintenance events per week")
        try GoodputError.requireNonNegative(maintenance.hoursPerEvent, "planned maintenance hours per event")
        let perEvent = maintenance.hoursPerEvent * 3600 + settings.restartSeconds + reloadSeconds
        let share = maintenance.eventsPerWeek * perEvent / (7 * 24 * 3600)
        guard share < 1 else {
            throw GoodputError("planned maintenance takes \(share * 100)% of the week "
                               + "(\(maintenance.eventsPerWeek) events of \(maintenance.hoursPerEvent) h plus restart "
                               + "and reload), must be under 100%")
        }
        return share
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

import CostModel

/// Everything about failures and checkpoints that is not the workload: the failure rate, how a
/// checkpoint is written, how long recovery takes, planned maintenance and spare nodes.
/// Plain numbers, seconds and bytes; `TimeToTrain.compute` checks them.
public struct RecoverySettings: Sendable, Hashable, Codable {
    /// Interruptions per accelerator-hour (default: Llama 3's, Dubey et al. 2024).
    public var failureRate: FailureRate
    public var checkpointMode: CheckpointMode
    /// Aggregate bandwidth from the job to checkpoint storage, bytes/s.
    public var writeBandwidthBytesPerSecond: Double
    /// Time to read the checkpoint back after a failure, seconds; nil = its size over the write
    /// bandwidth. (In-memory checkpoints carry their own reload time.)
    public var reloadSeconds: Double?
    /// Time from the failure to the job knowing it (watchdog, health checks), seconds.
    public var detectionSeconds: Double
    /// Time to reschedule and re-initialise the job before the checkpoint is read, seconds.
    public var restartSeconds: Double
    /// Fixed compute time between checkpoints, seconds; nil = the optimum (Daly 2006).
    public var intervalSeconds: Double?
    public var maintenance: PlannedMaintenance?
    /// Spare nodes and repair time; nil = a healthy replacement is always at hand.
    public var spares: SparePool?

    public init(failureRate: FailureRate = .llama3, checkpointMode: CheckpointMode = .blocking,
                writeBandwidthBytesPerSecond: Double, reloadSeconds: Double? = nil,
                detectionSeconds: Double = CostModelConstants.detectionSeconds,
                restartSeconds: Double = CostModelConstants.restartSeconds,
                intervalSeconds: Double? = nil, maintenance: PlannedMaintenance? = nil, spares: SparePool? = nil) {
        self.failureRate = failureRate
        self.checkpointMode = checkpointMode
        self.writeBandwidthBytesPerSecond = writeBandwidthBytesPerSecond
        self.reloadSeconds = reloadSeconds
        self.detectionSeconds = detectionSeconds
        self.restartSeconds = restartSeconds
        self.intervalSeconds = intervalSeconds
        self.maintenance = maintenance
        self.spares = spares
    }
}

/// Planned stops (firmware upgrades, configuration changes): Llama 3 had 47 in 54 days
/// (Dubey et al. 2024, section 3.3.4). Each takes `hoursPerEvent` plus a restart and a reload;
/// a checkpoint is taken just before, so no work is lost.
public struct PlannedMaintenance: Sendable, Hashable, Codable {
    public var eventsPerWeek: Double
    public var hoursPerEvent: Double

    public init(eventsPerWeek: Double, hoursPerEvent: Double) {
        self.eventsPerWeek = eventsPerWeek
        self.hoursPerEvent = hoursPerEvent
    }
}

/// Hot spare nodes that replace a failed node at once, while the failed one is repaired.
///
/// Nodes under repair form an infinite-server queue: with hardware failures arriving at rate
/// lambda (per hour, the whole job) and each repair taking `repairHours`, the number under repair
/// is Poisson with mean a = lambda x repairHours (the M/G/infinity queue; Kleinrock 1975, Queueing Systems vol. 1).
/// A failure finds no spare with probability P(X >= spares); it then waits for the first of the
/// repairs under way to finish, about repairHours / (spares + 1) (the minimum of spares + 1
/// uniformly spread residual times; with no spares, the failed node's own repair).
public struct SparePool: Sendable, Hashable, Codable {
    public var spareNodes: Int
    public var repairHours: Double

    public init(spareNodes: Int, repairHours: Double) {
        self.spareNodes = spareNodes
        self.repairHours = repairHours
    }

    /// Expected wait for a healthy node per hardware failure, seconds.
    func expectedWaitSeconds(hardwareFailuresPerHour: Double) -> Double {
        let load = hardwareFailuresPerHour * repairHours
        // P(X >= s) = 1 - sum_{k < s} e^-a a^k / k!
        var term = exp(-load)
        var below = 0.0
        for k in 0..<spareNodes {
            below += term
            term *= load / Double(k + 1)
        }
        let noSpare = max(0, 1 - below)
        return noSpare * repairHours * 3600 / Double(spareNodes + 1)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

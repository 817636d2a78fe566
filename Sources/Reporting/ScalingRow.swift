import Goodput
import CostModel
import Foundation

/// One row of a report: a GPU count on a cluster, its layout's estimate (or why it has none),
/// and the figures derived from it. `data.csv` and `data.json` have one per GPU count (scaling)
/// or per cluster (compare).
public struct ScalingRow: Sendable, Hashable, Codable {
    public var cluster: String
    public var accelerator: String
    public var gpus: Int
    public var globalBatch: Int
    public var seq: Int
    /// The plan's estimate (the `loom estimate --format json` fields); nil when no layout.
    public var estimate: Estimate?
    /// Why this point has no layout (one line); nil when it has one.
    public var reason: String?
    /// Per-GPU throughput relative to the baseline row (linear scaling = 1); scaling reports only.
    public var scalingEfficiency: Double?
    /// Aggregate tokens/s relative to the baseline row.
    public var relativeThroughput: Double?
    /// Exposed (not overlapped) TP+PP+DP+CP+EP communication over the step time.
    public var exposedCommShare: Double?
    /// Tokens to train on.
    public var trainTokens: Double
    /// Wall-clock seconds to train `trainTokens` at this throughput.
    public var timeToTrainS: Double?
    /// GPUs x time to train, hours.
    public var gpuHours: Double?
    public var pricePerGpuHour: Double?
    /// GPU-hours x price, when a price is given.
    public var cost: Double?
    /// One accelerator's memory, bytes.
    public var memoryCapacity: Double
    /// With failures and checkpoints (Goodput, the report's recovery settings): the share of wall
    /// time that trains, the expected time and GPU-hours, interruptions, the checkpoint interval
    /// and size. Nil without a plan, or when the job never finishes (`goodputProblem`).
    public var goodput: Double?
    public var timeToTrainWithFailuresS: Double?
    public var gpuHoursWithFailures: Double?
    /// GPU-hours with failures x price, when a price is given.
    public var costWithFailures: Double?
    public var expectedInterruptions: Double?
    public var checkpointIntervalS: Double?
    public var checkpointBytes: Double?

    public init(point: SweepPoint, seq: Int, estimate: Estimate?, reason: String?, trainTokens: Double,
                pricePerGpuHour: Double?, memoryCapacity: Double) {
        cluster = point.cluster.name
        accelerator = point.cluster.accelerator.name
        gpus = point.gpus
        globalBatch = point.globalBatch
        self.seq = seq
        self.estimate = estimate
        self.reason = reason
        self.trainTokens = trainTokens
        self.pricePerGpuHour = pricePerGpuHour
        self.memoryCapacity = memoryCapacity
        guard let estimate else { return }
        let t = estimate.time
        let comm = t.tpComm + t.ppComm + t.dpComm + t.cpComm + t.epComm
        exposedCommShare = estimate.stepTimeS > 0 ? comm / estimate.stepTimeS : nil
        if estimate.tokensPerS > 0 {
            let seconds = trainTokens / estimate.tokensPerS
            timeToTrainS = seconds
            let hours = Double(point.gpus) * seconds / 3600
            gpuHours = hours
            cost = pricePerGpuHour.map { $0 * hours }
        }
    }

    /// Fills the with-failures figures from a time-to-train report of this row's estimate.
    mutating func add(_ time: TimeToTrainReport) {
        goodput = time.goodput
        timeToTrainWithFailuresS = time.expectedDays * 86_400
        gpuHoursWithFailures = time.expectedGpuHours
        costWithFailures = pricePerGpuHour.map { $0 * time.expectedGpuHours }
        expectedInterruptions = time.expectedInterruptions
        checkpointIntervalS = time.checkpointIntervalS
        checkpointBytes = time.checkpointBytes
    }

    /// Sets the efficiency and relative throughput against `baseline` (a row with an estimate).
    mutating func relate(to baseline: ScalingRow, efficiency: Bool) {
        guard let estimate, let base = baseline.estimate, base.tokensPerS > 0, baseline.gpus > 0, gpus > 0 else { return }
        relativeThroughput = estimate.tokensPerS / base.tokensPerS
        if efficiency {
            scalingEfficiency = (estimate.tokensPerS / Double(gpus)) / (base.tokensPerS / Double(baseline.gpus))
        }
    }

    /// The layout in a few words: "TP 8 · PP 16 · DP 8 · mb 1 · VPP 2 · ZeRO-1 · full recompute".
    public var layoutText: String {
        guard let l = estimate?.layout else { return "-" }
        var parts = ["TP \(l.tp)", "PP \(l.pp)", "DP \(l.dp)"]
        if l.cp > 1 { parts.append("CP \(l.cp)") }
        if l.ep > 1 { parts.append("EP \(l.ep)") }
        if l.vpp > 1 { parts.append("VPP \(l.vpp)") }
        parts.append("mb \(l.microBatch)")
        if l.zero > 0 { parts.append("ZeRO-\(l.zero)") }
        if l.recompute != .none { parts.append("\(l.recompute.rawValue) recompute") }
        if l.sequenceParallel { parts.append("SP") }
        return parts.joined(separator: " · ")
    }

    /// Tokens per optimizer step.
    public var tokensPerBatch: Double { Double(globalBatch) * Double(seq) }
}

/// Days, accelerator-hours and cost to train on a token count, with and without failures.
///
/// Without failures: T = tokens / (tokens per second). With failures and checkpoints: T / goodput
/// (`GoodputBreakdown`). Expected interruptions = wall time / job MTBF (+ planned events).
public struct TimeToTrain: Sendable, Hashable, Codable {
    public var tokens: Double
    public var tokensPerSecond: Double
    public var accelerators: Int
    /// Wall time with no failures and no checkpoints, seconds.
    public var idealSeconds: Double
    /// Expected wall time with failures, checkpoints and maintenance, seconds.
    public var expectedSeconds: Double
    public var idealAcceleratorHours: Double
    public var expectedAcceleratorHours: Double
    /// Cost at `pricePerAcceleratorHour` when one was given.
    public var idealCost: Double?
    public var expectedCost: Double?
    /// Expected unexpected interruptions over the run.
    public var expectedInterruptions: Double
    /// Planned maintenance events over the run.
    public var plannedInterruptions: Double
    public var breakdown: GoodputBreakdown

    public var goodput: Double { breakdown.goodput }
    public var idealDays: Double { idealSeconds / 86_400 }
    public var expectedDays: Double { expectedSeconds / 86_400 }
    public var checkpointIntervalSeconds: Double { breakdown.intervalSeconds }

    /// The time to train `tokens` at `tokensPerSecond` (the whole job's throughput) on
    /// `accelerators`, saving `checkpointBytes` (model and optimizer states of the whole job) per
    /// checkpoint. `pricePerAcceleratorHour` (any currency) adds the cost.
    public static func compute(tokens: Double, tokensPerSecond: Double, accelerators: Int, checkpointBytes: Double,
                               settings: RecoverySettings,
                               pricePerAcceleratorHour: Double? = nil) throws -> TimeToTrain {
        try GoodputError.requirePositive(tokens, "training tokens")
        try GoodputError.requirePositive(tokensPerSecond, "throughput (tokens/s)")
        if let price = pricePerAcceleratorHour {
            try GoodputError.requireNonNegative(price, "price per accelerator-hour")
        }
        let breakdown = try GoodputBreakdown.compute(accelerators: accelerators, checkpointBytes: checkpointBytes,
                                                     settings: settings)
        guard breakdown.goodput.isFinite, breakdown.goodput > 1e-9 else {
            throw GoodputError("goodput is \(breakdown.goodput): \(accelerators) accelerators fail every "
                               + "\(breakdown.mtbfSeconds) s on average, faster than the job recovers "
                               + "(\(breakdown.lostPerFailureSeconds) s lost per failure)")
        }
        let ideal = tokens / tokensPerSecond
        let expected = ideal / breakdown.goodput
        let n = Double(accelerators)
        let planned = settings.maintenance.map { expected / (7 * 86_400) * $0.eventsPerWeek } ?? 0
        return TimeToTrain(
            tokens: tokens, tokensPerSecond: tokensPerSecond, accelerators: accelerators,
            idealSeconds: ideal, expectedSeconds: expected,
            idealAcceleratorHours: ideal * n / 3600, expectedAcceleratorHours: expected * n / 3600,
            idealCost: pricePerAcceleratorHour.map { $0 * ideal * n / 3600 },
            expectedCost: pricePerAcceleratorHour.map { $0 * expected * n / 3600 },
            expectedInterruptions: expected / breakdown.mtbfSeconds, plannedInterruptions: planned,
            breakdown: breakdown)
    }
}

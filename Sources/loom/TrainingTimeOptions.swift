import ArgumentParser
import CostModel
import Foundation
import Goodput
import Hardware
import Workloads

extension TrainingTimeSettings.Mode: ExpressibleByArgument {}

/// The time-to-train flags `estimate`, `plan`, `report scaling` and `size` share: how many tokens,
/// and how failures and checkpoints are taken (Goodput module). Every flag but --train-tokens has a
/// default from the cluster file or CostModelConstants.
struct TrainingTimeOptions: ParsableArguments {
    @Option(name: .customLong("train-tokens"),
            help: "Tokens to train on (e.g. 15T, 300B, 2.5e12): adds days, GPU-hours, cost, goodput and interruptions with and without failures.")
    var trainTokens: String?
    @Option(help: "Mean time between failures of ONE accelerator, hours (default: the cluster's failure_rate_per_accelerator_hour, else Llama 3's \(Int((1 / FailureRate.llama3.perAcceleratorHour).rounded())) h: 419 interruptions on 16,384 H100s in 54 days). A job of N accelerators fails N times as often.")
    var mtbf: Double?
    @Option(name: .customLong("checkpoint-bandwidth"),
            help: "Checkpoint write bandwidth per host (node), GB/s (default: the cluster's checkpoint_bandwidth_gbps, else \(String(format: "%.2f", CostModelConstants.checkpointWriteGBpsPerHost)): Llama 3's 2 TB/s over 2,048 hosts).")
    var checkpointBandwidth: Double?
    @Option(name: .customLong("checkpoint-mode"),
            help: "blocking (training waits for the write), async (waits only for the copy to host memory) or in-memory (snapshots in peer hosts' memory, Gemini).")
    var checkpointMode: TrainingTimeSettings.Mode = .blocking
    @Option(name: .customLong("checkpoint-stall-seconds"),
            help: "Training stall of an async or in-memory checkpoint, seconds (default \(CostModelConstants.asyncCheckpointStallSeconds): PyTorch DCP async_save on a 7B model; at most the blocking write).")
    var checkpointStallSeconds: Double?
    @Option(name: .customLong("checkpoint-interval-minutes"),
            help: "Compute minutes between checkpoints (default: Daly 2006's optimum for the job).")
    var checkpointIntervalMinutes: Double?
    @Option(name: .customLong("restart-minutes"),
            help: "Minutes to reschedule and re-initialise after a failure, before the reload (default \(Int(CostModelConstants.restartSeconds / 60)): MegaScale).")
    var restartMinutes: Double?
    @Option(name: .customLong("detection-minutes"), help: "Minutes from a failure to its detection (default \(Int(CostModelConstants.detectionSeconds / 60)): MegaScale).")
    var detectionMinutes: Double?

    /// Whether any failure or checkpoint flag was given (they need --train-tokens in estimate and plan).
    var hasRecoveryFlags: Bool {
        mtbf != nil || checkpointBandwidth != nil || checkpointMode != .blocking || checkpointStallSeconds != nil
            || checkpointIntervalMinutes != nil || restartMinutes != nil || detectionMinutes != nil
    }

    /// The settings for `tokens` (given, or --train-tokens); nil when there are none. Each bad value
    /// is one line naming the flag.
    func settings(tokens given: Double? = nil, price: Double? = nil) throws -> TrainingTimeSettings? {
        let parsed = try trainTokens.map { text -> Double in
            do { return try TokenCount.parse(text) } catch let error as GoodputError {
                throw ValidationError("--train-tokens: \(error.description)")
            }
        }
        guard let tokens = given ?? parsed else {
            if hasRecoveryFlags || price != nil {
                throw ValidationError("the failure and checkpoint flags need --train-tokens (e.g. --train-tokens 15T)")
            }
            return nil
        }
        func positive(_ flag: String, _ value: Double?) throws -> Double? {
            guard let value else { return nil }
            guard value.isFinite, value > 0 else {
                throw ValidationError("\(flag) \(value) must be a positive finite number")
            }
            return value
        }
        func nonNegative(_ flag: String, _ value: Double?) throws -> Double? {
            guard let value else { return nil }
            guard value.isFinite, value >= 0 else {
                throw ValidationError("\(flag) \(value) must be a finite number >= 0")
            }
            return value
        }
        let rate = try positive("--mtbf", mtbf).map {
            try FailureRate(perAcceleratorHour: 1 / $0, source: "--mtbf \($0) h per accelerator")
        }
        if let price { _ = try nonNegative("--price-per-gpu-hour", price) }
        return TrainingTimeSettings(
            tokens: tokens, failureRate: rate,
            checkpointGBpsPerHost: try positive("--checkpoint-bandwidth", checkpointBandwidth),
            mode: checkpointMode,
            stallSeconds: try positive("--checkpoint-stall-seconds", checkpointStallSeconds),
            detectionSeconds: try nonNegative("--detection-minutes", detectionMinutes).map { $0 * 60 }
                ?? CostModelConstants.detectionSeconds,
            restartSeconds: try nonNegative("--restart-minutes", restartMinutes).map { $0 * 60 }
                ?? CostModelConstants.restartSeconds,
            intervalSeconds: try positive("--checkpoint-interval-minutes", checkpointIntervalMinutes).map { $0 * 60 },
            pricePerAcceleratorHour: price)
    }
}

/// `--price-per-gpu-hour` for estimate and plan (report has its own, per cluster).
struct GPUPriceOption: ParsableArguments {
    @Option(name: .customLong("price-per-gpu-hour"), help: "Price of one GPU-hour for the time-to-train cost (any currency).")
    var pricePerGPUHour: Double?
}

/// The time to train of one estimate, or a one-line error.
enum TimeToTrainOutput {
    static func compute(_ estimate: Estimate, settings: TrainingTimeSettings, model: TransformerModel,
                        cluster: ClusterTopology) throws -> TimeToTrainReport {
        do {
            return try settings.timeToTrain(estimate, model: model, cluster: cluster)
        } catch let error as GoodputError {
            throw ValidationError(error.description)
        }
    }

    /// The table lines.
    static func lines(_ t: TimeToTrainReport) -> [String] {
        var lines = [String(format: "time to train  %@ tokens: %@ without failures, %@ expected (goodput %.1f%%)",
                            tokenText(t.tokens), duration(days: t.idealDays), duration(days: t.expectedDays),
                            100 * t.goodput)]
        var hours = "GPU-hours      \(SizeCommand.abbreviated(t.idealGpuHours)) ideal, "
            + "\(SizeCommand.abbreviated(t.expectedGpuHours)) expected"
        if let ideal = t.idealCost, let expected = t.expectedCost {
            hours += "; cost \(SizeCommand.abbreviated(ideal)) ideal, \(SizeCommand.abbreviated(expected)) expected"
        }
        lines.append(hours)
        lines.append(String(format: "failures       %.0f expected interruptions, one every %.2f h (%.3g per GPU-hour); "
                                + "%.0f s down + %.0f s recomputed each",
                            t.expectedInterruptions, t.jobMtbfHours, t.failureRatePerGpuHour, t.downtimePerFailureS,
                            t.recomputePerFailureS))
        lines.append(String(format: "checkpoint     %@: %.3g TB (weights %.3g + fp32 master %.3g + moments %.3g TB), "
                                + "%.3g GB per GPU; written in %.0f s at %.0f GB/s, blocks %.1f s, every %.0f min",
                            t.checkpointMode, t.checkpointBytes / 1e12, t.checkpointWeightsBytes / 1e12,
                            t.checkpointMasterWeightsBytes / 1e12, t.checkpointOptimizerMomentsBytes / 1e12,
                            t.checkpointBytesPerGpu / 1e9, t.checkpointWriteS, t.checkpointGbpsJob,
                            t.checkpointBlockingS, t.checkpointIntervalS / 60))
        return lines
    }

    /// "84.1 days", or "5.2 hours" under a day.
    static func duration(days: Double) -> String {
        days >= 1 ? String(format: "%.1f days", days) : String(format: "%.2g hours", days * 24)
    }

    static func tokenText(_ tokens: Double) -> String {
        tokens >= 1e12 ? String(format: "%.3gT", tokens / 1e12) : String(format: "%.3gB", tokens / 1e9)
    }
}

/// An estimate with its `time_to_train` object: every estimate field, plus the new one.
struct EstimateWithTime: Encodable {
    var estimate: Estimate
    var timeToTrain: TimeToTrainReport?

    enum CodingKeys: String, CodingKey { case timeToTrain }

    func encode(to encoder: Encoder) throws {
        try estimate.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(timeToTrain, forKey: .timeToTrain)
    }
}

import Goodput
import CostModel
import Foundation
import Workloads

/// What a report shows: GPU counts on one cluster, or clusters at one GPU count.
public enum ReportKind: String, Sendable, Hashable, Codable {
    case scaling
    case compare
}

/// A finished sweep with its derived figures: what `data.json` holds and every renderer reads.
public struct ScalingReport: Sendable, Hashable, Codable {
    public var kind: ReportKind
    public var model: String
    /// Total parameters of the model.
    public var parameters: Int
    public var seq: Int
    /// Scaling reports: how the batch follows the GPU count.
    public var mode: ScalingMode?
    /// "best" or "fixed".
    public var policy: String
    /// Tokens the time-to-train column assumes, and where that number comes from.
    public var trainTokens: Double
    public var trainTokensSource: String
    /// The row efficiencies and relative throughputs are measured against.
    public var baselineGpus: Int?
    public var baselineCluster: String?
    public var rows: [ScalingRow]

    /// Compute-optimal training tokens per parameter (Hoffmann et al. 2022, "Training
    /// Compute-Optimal Large Language Models", Table 3: about 20 tokens per parameter).
    public static let computeOptimalTokensPerParameter = 20.0

    /// Builds the rows of `outcomes`. `trainTokens` nil: 20 tokens per parameter. `prices`:
    /// price per GPU-hour by cluster name (missing: no cost).
    public init(kind: ReportKind, model: TransformerModel, sweep: ScalingSweep, outcomes: [SweepOutcome],
                mode: ScalingMode?, trainTokens: Double?, prices: [String: Double] = [:],
                recovery: TrainingTimeSettings? = nil) {
        self.kind = kind
        self.model = model.name
        parameters = model.totalParameters
        seq = sweep.seq
        self.mode = kind == .scaling ? mode : nil
        policy = sweep.policy.name
        if let trainTokens {
            self.trainTokens = trainTokens
            trainTokensSource = "given with --tokens"
        } else {
            self.trainTokens = ScalingReport.computeOptimalTokensPerParameter * Double(parameters)
            trainTokensSource = "compute-optimal: 20 tokens per parameter (Hoffmann et al. 2022)"
        }
        let tokens = self.trainTokens
        var rows = outcomes.map { outcome in
            ScalingRow(point: outcome.point, seq: sweep.seq, estimate: outcome.estimate, reason: outcome.reason,
                       trainTokens: tokens, pricePerGpuHour: prices[outcome.point.cluster.name],
                       memoryCapacity: MemoryModel.capacity(of: outcome.point.cluster))
        }
        // With failures and checkpoints: the given settings, else the defaults, for the same tokens.
        var settings = recovery ?? TrainingTimeSettings(tokens: tokens)
        settings.tokens = tokens
        for (index, outcome) in outcomes.enumerated() {
            guard let estimate = outcome.estimate,
                  let time = try? settings.timeToTrain(estimate, model: model, cluster: outcome.point.cluster) else { continue }
            rows[index].add(time)
        }
        if let baseline = rows.first(where: { $0.estimate != nil }) {
            baselineGpus = baseline.gpus
            baselineCluster = baseline.cluster
            for index in rows.indices { rows[index].relate(to: baseline, efficiency: kind == .scaling) }
        }
        self.rows = rows
    }

    /// Rows that have a plan.
    public var plannedRows: [ScalingRow] { rows.filter { $0.estimate != nil } }

    /// The clusters of the report, in order, without repeats.
    public var clusters: [String] {
        var seen = Set<String>()
        return rows.map(\.cluster).filter { seen.insert($0).inserted }
    }

    /// Whether any row has a price (the cost column is shown).
    public var hasCost: Bool { rows.contains { $0.cost != nil } }

    /// "GPT-3 175B on dgx-a100-80gb: 64 to 4,096 GPUs" or "Llama-3.1-70B on 1,024 GPUs: 3 clusters".
    public var title: String {
        switch kind {
        case .scaling:
            let counts = rows.map(\.gpus)
            let range = counts.count > 1
                ? "\(ReportFormat.integer(Double(counts.first ?? 0))) to \(ReportFormat.integer(Double(counts.last ?? 0))) GPUs"
                : "\(ReportFormat.integer(Double(counts.first ?? 0))) GPUs"
            return "\(model) on \(clusters.joined(separator: ", ")): scaling \(range)"
        case .compare:
            let gpus = ReportFormat.integer(Double(rows.first?.gpus ?? 0))
            return "\(model) on \(gpus) GPUs: \(clusters.joined(separator: " vs "))"
        }
    }

    /// The setup in one line: parameters, batch, sequence, mode, policy, tokens to train.
    public var setup: String {
        var parts = ["\(ReportFormat.compact(Double(parameters))) parameters", "sequence \(ReportFormat.integer(Double(seq)))"]
        if let first = rows.first {
            let batch = "global batch \(ReportFormat.integer(Double(first.globalBatch))) "
                + "(\(ReportFormat.compact(first.tokensPerBatch)) tokens)"
            parts.append(mode == .weak ? batch + " at \(ReportFormat.integer(Double(first.gpus))) GPUs, growing with the GPUs"
                                       : batch)
        }
        if let mode { parts.append("\(mode.rawValue) scaling") }
        parts.append(policy == "best" ? "best layout per point (loom plan)" : "one layout held fixed")
        parts.append("training on \(ReportFormat.tokens(trainTokens)) (\(trainTokensSource))")
        return parts.joined(separator: "; ")
    }

    /// Two or three sentences a reader takes in at a glance.
    public var headline: String {
        let planned = plannedRows
        guard let first = planned.first, let last = planned.last, let a = first.estimate, let b = last.estimate else {
            return "No point of this report has a layout that fits."
        }
        var sentences: [String] = []
        switch kind {
        case .scaling:
            if planned.count > 1 {
                let factor = Double(last.gpus) / Double(max(first.gpus, 1))
                sentences.append("From \(ReportFormat.integer(Double(first.gpus))) to \(ReportFormat.integer(Double(last.gpus))) GPUs "
                    + "(\(ReportFormat.compact(factor))x) throughput grows \(ReportFormat.compact(b.tokensPerS / max(a.tokensPerS, 1e-300)))x "
                    + "to \(ReportFormat.compact(b.tokensPerS)) tokens/s: \(ReportFormat.percent(last.scalingEfficiency ?? 0)) scaling efficiency.")
                sentences.append("MFU goes from \(ReportFormat.percent(a.mfu)) to \(ReportFormat.percent(b.mfu)).")
            } else {
                sentences.append("\(ReportFormat.integer(Double(first.gpus))) GPUs reach \(ReportFormat.compact(a.tokensPerS)) tokens/s "
                    + "at \(ReportFormat.percent(a.mfu)) MFU.")
            }
            if let time = last.timeToTrainS, let hours = last.gpuHours {
                sentences.append("Training on \(ReportFormat.tokens(trainTokens)) takes \(ReportFormat.duration(time)) on "
                    + "\(ReportFormat.integer(Double(last.gpus))) GPUs (\(ReportFormat.compact(hours)) GPU-hours).")
            }
            if let fastest = planned.filter({ $0.timeToTrainWithFailuresS != nil })
                .min(by: { $0.timeToTrainWithFailuresS! < $1.timeToTrainWithFailuresS! }),
               let time = fastest.timeToTrainWithFailuresS, let goodput = fastest.goodput {
                sentences.append("With failures and checkpoints it finishes soonest on "
                    + "\(ReportFormat.integer(Double(fastest.gpus))) GPUs: \(ReportFormat.duration(time)) "
                    + "(goodput \(ReportFormat.percent(goodput))).")
            }
        case .compare:
            guard let fastest = planned.max(by: { ($0.estimate?.tokensPerS ?? 0) < ($1.estimate?.tokensPerS ?? 0) }),
                  let best = fastest.estimate else { break }
            var sentence = "\(fastest.cluster) is fastest: \(ReportFormat.compact(best.tokensPerS)) tokens/s at "
                + "\(ReportFormat.percent(best.mfu)) MFU"
            if planned.count > 1, fastest.cluster != first.cluster, a.tokensPerS > 0 {
                sentence += ", \(ReportFormat.compact(best.tokensPerS / a.tokensPerS))x \(first.cluster)"
            }
            sentences.append(sentence + ".")
            let times = planned.compactMap { row in row.timeToTrainS.map { "\(ReportFormat.duration($0)) on \(row.cluster)" } }
            if !times.isEmpty {
                sentences.append("Training on \(ReportFormat.tokens(trainTokens)) takes " + times.joined(separator: ", ") + ".")
            }
            let costs = planned.compactMap { row in row.cost.map { "$\(ReportFormat.money($0)) on \(row.cluster)" } }
            if !costs.isEmpty { sentences.append("It costs " + costs.joined(separator: ", ") + ".") }
        }
        let missing = rows.count - planned.count
        if missing > 0 { sentences.append("\(missing) point\(missing == 1 ? " has" : "s have") no layout (see the table).") }
        return sentences.joined(separator: " ")
    }
}

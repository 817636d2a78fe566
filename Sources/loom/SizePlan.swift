import ArgumentParser
import CostModel
import Foundation
import Goodput
import Hardware
import Planner
import Workloads

/// `loom size --cluster C --gpus N`: the loss-optimal size as a Loom model (`SizedModel`), the
/// planner's best layout for it on C x N (throughput), and its time to train on the optimal tokens.
struct SizePlan: Encodable {
    /// The model's shape and exact parameter count.
    struct Shape: Encodable {
        var name: String
        var layers: Int
        var hidden: Int
        var heads: Int
        var kvHeads: Int
        var ffn: Int
        var vocab: Int
        var parameters: Int
        var rule: String
    }

    var model: Shape
    var cluster: String
    var gpus: Int
    /// The best plan, the estimate object of `loom estimate` with its `time_to_train`.
    var plan: EstimateWithTime

    static let rule = "Llama 3 shape family: head dim 128, 8 KV heads, FFN 3.5 x hidden, hidden / layers nearest 128, "
        + "vocabulary 128,256 (Dubey et al. 2024, table 3); layers to match the loss-optimal size"

    static func make(parameters: Double, tokens: Double, cluster name: String, gpus: Int, globalBatch: Int?,
                     timeOptions: TrainingTimeOptions) throws -> SizePlan {
        let model = SizedModel.llamaShaped(parameters: parameters)
        let cluster = try TopologyCatalog.load(name)
        let seq = LayoutValidation.defaultSequenceLength(for: model)
        let batch = globalBatch ?? max(CostModelConstants.sizingBatchTokens / seq, 1)
        let settings = try timeOptions.settings(tokens: tokens)
        let request = PlanRequest(gpus: gpus, globalBatch: batch, seq: seq, top: 2)
        let result = try Planner(model: model, cluster: cluster).planSynchronously(request)
        guard let best = result.plans.first else {
            throw ValidationError("no layout of \(model.name) fits \(gpus) GPUs of \(cluster.name)")
        }
        let time = try settings.map { try TimeToTrainOutput.compute(best, settings: $0, model: model, cluster: cluster) }
        let shape = Shape(name: model.name, layers: model.layers, hidden: model.hidden, heads: model.heads,
                          kvHeads: model.kvHeads, ffn: model.ffn, vocab: model.vocab, parameters: model.totalParameters,
                          rule: rule)
        return SizePlan(model: shape, cluster: cluster.name, gpus: gpus, plan: EstimateWithTime(estimate: best, timeToTrain: time))
    }

    /// The table lines.
    func text() -> String {
        let e = plan.estimate
        let l = e.layout
        var lines = [
            "Model         \(model.name): \(model.layers) layers, hidden \(model.hidden), \(model.heads) heads "
                + "(\(model.kvHeads) KV), FFN \(model.ffn), vocabulary \(model.vocab); "
                + "\(SizeCommand.abbreviated(Double(model.parameters))) parameters",
            "              \(model.rule)",
            "Best plan     \(gpus) x \(cluster): tp \(l.tp), pp \(l.pp), dp \(l.dp), cp \(l.cp), vpp \(l.vpp), zero \(l.zero), "
                + "recompute \(l.recompute.rawValue), micro-batch \(l.microBatch), global batch \(l.globalBatch) x \(l.seq); "
                + String(format: "%.0f tokens/s, MFU %.1f%%", e.tokensPerS, 100 * e.mfu),
        ]
        if let time = plan.timeToTrain { lines += TimeToTrainOutput.lines(time) }
        return lines.joined(separator: "\n")
    }
}

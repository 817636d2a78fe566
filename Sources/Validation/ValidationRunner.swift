import CostModel
import Foundation
import Hardware
import Workloads

/// Predicts every published run and compares with the reported tokens/s (`loom validate`).
public struct ValidationReport: Sendable, Hashable, Codable {
    public struct Row: Sendable, Hashable, Codable {
        public var id: String
        public var reportedTokensPerS: Double
        public var predictedTokensPerS: Double
        /// predicted / reported - 1.
        public var error: Double
        public var framework: String
        public var predictedMfu: Double
        public var reportedMfu: Double?
    }

    public var runs: [Row]
    public var meanAbsError: Double
    public var maxAbsError: Double
}

public enum ValidationError: Error, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    case malformed(path: String, reason: String)
    case badRun(id: String, reason: String)

    public var description: String {
        switch self {
        case let .unreadable(path, reason): return "cannot read runs file \(path): \(reason)"
        case let .malformed(path, reason): return "runs file \(path) is not valid: \(reason)"
        case let .badRun(id, reason): return "run '\(id)': \(reason)"
        }
    }
}

public enum ValidationRunner {
    /// Decodes a runs file (the format of `Validation/published-runs.json`).
    public static func loadRuns(path: String) throws -> [PublishedRun] {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ValidationError.unreadable(path: path, reason: "no such file or not readable")
        }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        do {
            return try decoder.decode([PublishedRun].self, from: data)
        } catch let DecodingError.keyNotFound(key, context) {
            let at = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
            throw ValidationError.malformed(path: path, reason: "missing key '\(key.stringValue)' at \(at)")
        } catch let DecodingError.typeMismatch(_, context) {
            let at = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
            throw ValidationError.malformed(path: path, reason: "wrong type at \(at)")
        } catch {
            throw ValidationError.malformed(path: path, reason: "not a JSON array of runs")
        }
    }

    /// The transformer a run describes: a Megatron GPT (learned positions, LayerNorm, biases,
    /// GELU) unless its MLP is gated, then a Llama-style block (rotary, RMSNorm, no biases).
    public static func model(of run: PublishedRun) -> TransformerModel {
        let m = run.model
        let mlp = MLPKind(rawValue: m.mlp ?? "gelu") ?? .gelu
        let gptStyle = !mlp.isGated
        return TransformerModel(
            name: run.id, layers: m.layers, hidden: m.hidden, heads: m.heads, kvHeads: m.kvHeads ?? m.heads,
            ffn: m.ffn ?? 4 * m.hidden, mlp: mlp, vocab: m.vocab, maxSeq: m.seq,
            tiedEmbeddings: m.tiedEmbeddings ?? false, qkvBias: gptStyle, linearBias: gptStyle,
            norm: gptStyle ? .layernorm : .rmsnorm, position: gptStyle ? .learned : .rotary)
    }

    /// The layout and recipe a run used, with the defaults its framework implies for unreported
    /// fields (flash attention: the framework's default, `TrainingRecipe.effectiveFlashAttention`).
    public static func layout(of run: PublishedRun) throws -> (layout: ParallelLayout, recipe: TrainingRecipe) {
        let l = run.layout
        let frameworkName = run.framework ?? Framework.megatronCore.rawValue
        guard let framework = Framework(rawValue: frameworkName) else {
            throw ValidationError.badRun(id: run.id, reason: "unknown framework '\(frameworkName)'")
        }
        let recomputeName = l.recompute ?? "none"
        guard let recompute = Recompute(rawValue: recomputeName) else {
            throw ValidationError.badRun(id: run.id, reason: "unknown recompute '\(recomputeName)'")
        }
        let layout = ParallelLayout(
            tp: l.tp, pp: l.pp, dp: l.dp, cp: l.cp ?? 1, ep: l.ep ?? 1, vpp: l.vpp ?? 1, zero: l.zero ?? 0,
            sequenceParallel: l.sequenceParallel ?? false, microBatch: l.microBatch, globalBatch: l.globalBatch,
            seq: run.model.seq)
        let recipe = TrainingRecipe(framework: framework, recompute: recompute, flashAttention: l.flashAttention)
        return (layout, recipe)
    }

    /// Reported tokens/s, or derived from the iteration time.
    public static func reportedTokensPerSecond(_ run: PublishedRun) -> Double? {
        if let tokens = run.reported.tokensPerS { return tokens }
        if let seconds = run.reported.iterationS, seconds > 0 {
            return Double(run.layout.globalBatch) * Double(run.model.seq) / seconds
        }
        return nil
    }

    /// Predicts every run. `cluster` resolves a preset name to a topology.
    public static func validate(runs: [PublishedRun],
                                cluster: (String) throws -> ClusterTopology) throws -> ValidationReport {
        var rows: [ValidationReport.Row] = []
        for run in runs {
            let model = model(of: run)
            let (layout, recipe) = try layout(of: run)
            let topology = try cluster(run.cluster.preset)
            do {
                try LayoutValidation.check(layout, recipe: recipe, model: model, cluster: topology)
            } catch {
                throw ValidationError.badRun(id: run.id, reason: "\(error)")
            }
            guard let reported = reportedTokensPerSecond(run) else {
                throw ValidationError.badRun(id: run.id, reason: "reports neither tokens_per_s nor iteration_s")
            }
            let estimate = Estimator(model: model, cluster: topology).evaluate(layout, recipe: recipe)
            rows.append(.init(id: run.id, reportedTokensPerS: reported, predictedTokensPerS: estimate.tokensPerSecond,
                              error: estimate.tokensPerSecond / reported - 1, framework: recipe.framework.rawValue,
                              predictedMfu: estimate.mfu, reportedMfu: run.reported.mfu))
        }
        let errors = rows.map { abs($0.error) }
        let mean = errors.isEmpty ? 0 : errors.reduce(0, +) / Double(errors.count)
        return ValidationReport(runs: rows, meanAbsError: mean, maxAbsError: errors.max() ?? 0)
    }
}

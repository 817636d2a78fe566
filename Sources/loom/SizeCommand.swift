import ArgumentParser
import CostModel
import Foundation
import Goodput
import Hardware
import Planner
import ScalingLaws

/// `loom size`: the loss-optimal parameters and tokens for a compute budget, from a fitted
/// scaling law (ScalingLaws), with the 20-tokens-per-parameter rule beside it. The budget is
/// `--flops`, or `--gpu-hours` on `--cluster` at the accelerator's bf16 peak times an assumed MFU.
struct SizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "size",
        abstract: "Compute-optimal model size and training tokens for a compute budget.",
        discussion: """
            Minimises the fitted loss L(N, D) = E + A/N^alpha + B/D^beta under C = 6 N D \
            (Hoffmann et al. 2022, approach 3). Laws: chinchilla (Hoffmann et al.'s coefficients as \
            printed; they give a smaller model than the paper's approaches 1 and 2) and besiroglu \
            (Besiroglu et al. 2024's refit, about 20 tokens per parameter; the default). \
            --inference-tokens adds the model of the same predicted loss that minimises training plus \
            inference FLOPs (2 N per served token; Sardana et al. 2024): smaller, trained longer. \
            --gpu-hours converts with the cluster accelerator's dense bf16 peak and an assumed MFU \
            (--mfu, default \(Int(CostModelConstants.assumedSizingMFU * 100))%, Llama 3 405B's range).

            Examples:
              loom size --flops 5.76e23
              loom size --flops 5.76e23 --law chinchilla --format json
              loom size --gpu-hours 1e6 --cluster dgx-h100
              loom size --flops 5.76e23 --inference-tokens 10T
              loom size --flops 5.76e23 --cluster dgx-h100 --gpus 1024

            With --cluster and --gpus, the loss-optimal size is built as a Llama 3-shaped model (head \
            dimension 128, 8 KV heads, FFN 3.5 x hidden, vocabulary 128,256, hidden / layers nearest 128; \
            layers to match the size), planned on the cluster (best throughput), and \
            its time to train on the optimal tokens given with and without failures.
            """
    )

    @Option(help: "Compute budget in training FLOPs (e.g. 5.76e23).")
    var flops: Double?

    @Option(name: .customLong("gpu-hours"), help: "Compute budget in accelerator-hours (needs --cluster).")
    var gpuHours: Double?

    @Option(help: "Cluster whose accelerator converts --gpu-hours: a name (`loom clusters`) or a YAML file.")
    var cluster: String?

    @Option(help: "Model FLOPs utilisation assumed for --gpu-hours, in (0, 1].")
    var mfu: Double = CostModelConstants.assumedSizingMFU

    @Option(help: "Scaling law: \(ParametricLossLaw.published.map(\.name).joined(separator: ", ")).")
    var law: String = ScalingLawCoefficients.besiroglu.name

    @Option(name: .customLong("inference-tokens"),
            help: "Tokens the model will serve (e.g. 10T): adds the inference-aware size (Sardana et al. 2024).")
    var inferenceTokens: String?

    @Option(help: "With --cluster: plan the loss-optimal model on this many GPUs and give its time to train.")
    var gpus: Int?

    @Option(name: .customLong("global-batch"),
            help: "Global batch in sequences for --gpus (default: 4M tokens, Llama 3's first stage, at the model's sequence length).")
    var globalBatch: Int?

    @OptionGroup(title: "Time to train (with --gpus)") var trainingTime: TrainingTimeOptions

    @OptionGroup var output: FormatOption

    func run() throws {
        let law = try ParametricLossLaw.named(self.law)
        let budget = try resolveBudget()
        let optimal = try law.computeOptimal(flops: budget.flops)
        let rule = try law.tokensPerParameterRule(flops: budget.flops)
        var report = SizeReport(budget: budget, law: LawSummary(law), optimal: SizeRow(optimal), rule: SizeRow(rule),
                                extrapolated: !law.fittedParameterRange.contains(optimal.parameters))
        if let text = inferenceTokens {
            let served = try TokenCount.parse(text)
            let aware = try law.inferenceAware(targetLoss: optimal.loss, inferenceTokens: served)
            report.inferenceAware = InferenceAwareRow(
                size: SizeRow(aware.size), inferenceTokens: served, trainingFlops: aware.size.flops,
                lifetimeFlops: aware.lifetimeFLOPs,
                optimalLifetimeFlops: InferenceAwareSize(size: optimal, inferenceTokens: served).lifetimeFLOPs)
        }
        if let gpus {
            guard let cluster else { throw ValidationError("--gpus \(gpus) needs --cluster to plan the model on") }
            if trainingTime.trainTokens != nil {
                throw ValidationError("loom size trains on the loss-optimal tokens; --train-tokens is not used here")
            }
            report.plan = try SizePlan.make(parameters: optimal.parameters, tokens: optimal.tokens, cluster: cluster,
                                            gpus: gpus, globalBatch: globalBatch, timeOptions: trainingTime)
        } else if globalBatch != nil || trainingTime.hasRecoveryFlags {
            throw ValidationError("--global-batch and the failure and checkpoint flags need --gpus and --cluster")
        }
        switch output.format {
        case .json: try JSONOutput.print(report)
        case .table:
            print(Self.text(report))
            if let plan = report.plan { print("\n" + plan.text()) }
        }
    }

    /// The budget in FLOPs, from --flops or from --gpu-hours on --cluster.
    func resolveBudget() throws -> SizeBudget {
        switch (flops, gpuHours) {
        case (let flops?, nil):
            guard cluster == nil || gpus != nil else {
                throw ValidationError("--cluster is only used with --gpu-hours or --gpus, not with --flops alone")
            }
            return SizeBudget(flops: flops)
        case (nil, let hours?):
            guard hours.isFinite, hours > 0 else {
                throw ValidationError("--gpu-hours is \(hours), must be a positive number")
            }
            guard let cluster else { throw ValidationError("--gpu-hours needs --cluster to know the accelerator's peak") }
            guard mfu.isFinite, mfu > 0, mfu <= 1 else { throw ValidationError("--mfu is \(mfu), must be in (0, 1]") }
            let accelerator = try TopologyCatalog.load(cluster).accelerator
            let peak = accelerator.peakTFLOPS.bf16
            return SizeBudget(flops: hours * 3600 * peak * 1e12 * mfu, gpuHours: hours, cluster: cluster,
                              accelerator: accelerator.name, peakBF16TFLOPS: peak, mfu: mfu)
        case (nil, nil):
            throw ValidationError("give a budget: --flops F, or --gpu-hours H --cluster C")
        case (_?, _?):
            throw ValidationError("give --flops or --gpu-hours, not both")
        }
    }

    static func text(_ report: SizeReport) -> String {
        var lines: [String] = []
        let budget = report.budget
        if let hours = budget.gpuHours, let peak = budget.peakBF16TFLOPS, let mfu = budget.mfu {
            lines.append(String(format: "Budget        %@ FLOPs = %@ GPU-hours x %@ TFLOP/s bf16 peak (%@) x %.0f%% MFU (assumed)",
                                scientific(budget.flops), scientific(hours), ClustersCommand.number(peak),
                                budget.accelerator ?? "?", 100 * mfu))
        } else {
            lines.append("Budget        \(scientific(budget.flops)) FLOPs")
        }
        let law = report.law
        lines.append("Scaling law   \(law.name): L = \(law.e) + \(law.a)/N^\(law.alpha) + \(law.b)/D^\(law.beta)")
        lines.append("              \(law.source)")
        lines.append("")
        var table = TextTable(["", "PARAMETERS", "TOKENS", "TOKENS/PARAM", "LOSS"])
        var rows = [("loss-optimal", report.optimal), ("20 tokens/parameter", report.rule)]
        if let aware = report.inferenceAware {
            rows.append(("inference-aware (\(abbreviated(aware.inferenceTokens)) served)", aware.size))
        }
        for (name, row) in rows {
            table.add([name, abbreviated(row.parameters), abbreviated(row.tokens),
                       String(format: "%.1f", row.tokensPerParameter), String(format: "%.3f", row.loss)])
        }
        lines.append(table.render())
        if let aware = report.inferenceAware {
            lines.append("")
            lines.append(String(format: "Training + inference FLOPs: loss-optimal %@, inference-aware %@ (%.1f%% less; same loss)",
                                scientific(aware.optimalLifetimeFlops), scientific(aware.lifetimeFlops),
                                100 * (1 - aware.lifetimeFlops / aware.optimalLifetimeFlops)))
        }
        if report.extrapolated {
            lines.append("")
            lines.append("note: the optimum lies outside the \(abbreviated(law.fittedParameters[0]))-"
                         + "\(abbreviated(law.fittedParameters[1])) parameters the law was fitted on (an extrapolation)")
        }
        return lines.joined(separator: "\n")
    }

    /// 72.2B, 1.33T, 512M: three significant figures with a decimal suffix.
    static func abbreviated(_ value: Double) -> String {
        for (scale, suffix) in [(1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K")] where value >= scale {
            return String(format: "%.3g%@", value / scale, suffix)
        }
        return String(format: "%.3g", value)
    }

    static func scientific(_ value: Double) -> String { String(format: "%.3g", value) }
}

/// The JSON document of `loom size --format json`.
struct SizeReport: Encodable {
    var budget: SizeBudget
    var law: LawSummary
    /// The loss-minimising allocation under C = 6 N D.
    var optimal: SizeRow
    /// The 20-tokens-per-parameter rule at the same budget.
    var rule: SizeRow
    /// The optimum lies outside the model sizes the law was fitted on.
    var extrapolated: Bool
    /// With --inference-tokens: the same loss at the least training + inference FLOPs.
    var inferenceAware: InferenceAwareRow? = nil
    /// With --cluster and --gpus: the sized model, its best plan and its time to train.
    var plan: SizePlan? = nil
}

/// The inference-aware model (Sardana et al. 2024) and the lifetime FLOPs it saves.
struct InferenceAwareRow: Encodable {
    var size: SizeRow
    var inferenceTokens: Double
    var trainingFlops: Double
    /// Its training + inference FLOPs.
    var lifetimeFlops: Double
    /// The loss-optimal model's training + inference FLOPs for the same served tokens.
    var optimalLifetimeFlops: Double
}

/// The budget and, for --gpu-hours, how it was converted.
struct SizeBudget: Encodable {
    var flops: Double
    var gpuHours: Double?
    var cluster: String?
    var accelerator: String?
    var peakBF16TFLOPS: Double?
    var mfu: Double?

    enum CodingKeys: String, CodingKey {
        case flops, gpuHours, cluster, accelerator, mfu
        case peakBF16TFLOPS = "peakBf16Tflops"
    }
}

struct LawSummary: Encodable {
    var name: String
    var e: Double
    var a: Double
    var b: Double
    var alpha: Double
    var beta: Double
    var source: String
    /// Smallest and largest fitted model, parameters.
    var fittedParameters: [Double]

    init(_ law: ParametricLossLaw) {
        name = law.name
        e = law.e
        a = law.a
        b = law.b
        alpha = law.alpha
        beta = law.beta
        source = law.source
        fittedParameters = [law.fittedParameterRange.lowerBound, law.fittedParameterRange.upperBound]
    }
}

struct SizeRow: Encodable {
    var parameters: Double
    var tokens: Double
    var tokensPerParameter: Double
    var loss: Double

    init(_ size: ComputeOptimalSize) {
        parameters = size.parameters
        tokens = size.tokens
        tokensPerParameter = size.tokensPerParameter
        loss = size.loss
    }
}

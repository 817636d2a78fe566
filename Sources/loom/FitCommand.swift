import ArgumentParser
import CostModel
import Foundation
import Hardware
import Planner
import Workloads

/// `loom fit`: the longest sequence, the largest micro-batch, or the cheapest memory savers
/// that fit the given GPUs for a training method and settings.
struct FitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fit",
        abstract: "Find the longest sequence, the largest micro-batch, or the cheapest settings that fit the GPUs.",
        discussion: """
            --find max-seq: the longest --seq that fits (the other flags fixed);
            --find max-micro-batch: the largest --micro-batch at --seq (gradient accumulation kept);
            --find settings: the memory savers (recompute, 8-bit/paged optimizer, CPU offload) that
            make --seq fit, fastest first. Memory counts the GPUs' and, for offloaded states, the host's.
            Examples:
              loom fit --model llama-3.1-8b --cluster rtx-4090 --gpus 1 --global-batch 1 \\
                  --finetune qlora --recompute full --find max-seq
              loom fit --model llama-3.1-8b --cluster rtx-4090 --gpus 1 --global-batch 8 \\
                  --seq 4096 --finetune lora --find settings
            """)

    enum Question: String, ExpressibleByArgument, CaseIterable {
        case maxSeq = "max-seq"
        case maxMicroBatch = "max-micro-batch"
        case settings
    }

    @OptionGroup var workload: WorkloadOptions
    @OptionGroup var layoutOptions: LayoutOptions
    @OptionGroup var recipeOptions: RecipeOptions
    @Option(help: "What to find: max-seq, max-micro-batch or settings.")
    var find: Question
    @Option(name: .customLong("max-value"), help: "Upper bound of the search (tokens for max-seq, default 10,000,000; sequences for max-micro-batch, default 4096).")
    var maxValue: Int?
    @OptionGroup var output: FormatOption

    /// The JSON answer.
    struct Answer: Encodable {
        var question: String
        var value: Int?
        var fits: Bool
        var estimate: Estimate?
        var alternatives: [Estimate]
    }

    func run() throws {
        let resolved = try workload.resolve()
        let recipe = try recipeOptions.recipe()
        let layout = try resolved.validatedLayout(layoutOptions, recipe: recipe)
        let estimator = Estimator(model: resolved.model, cluster: resolved.cluster)
        if let maxValue, maxValue < 1 { throw ValidationError("--max-value \(maxValue) must be a positive integer") }
        var answer = Answer(question: find.rawValue, value: nil, fits: false, estimate: nil, alternatives: [])
        switch find {
        case .maxSeq:
            let limit = min(maxValue ?? CostModelConstants.maximumSequenceLength, CostModelConstants.maximumSequenceLength)
            if let fit = FitSearch.longestSequence(layout, recipe: recipe, estimator: estimator, limit: limit) {
                answer = Answer(question: find.rawValue, value: fit.value, fits: true, estimate: fit.estimate, alternatives: [])
            }
        case .maxMicroBatch:
            let limit = min(maxValue ?? 4096, CostModelConstants.maximumLayoutDimension)
            if let fit = FitSearch.largestMicroBatch(layout, recipe: recipe, estimator: estimator, limit: limit) {
                answer = Answer(question: find.rawValue, value: fit.value, fits: true, estimate: fit.estimate, alternatives: [])
            }
        case .settings:
            let found = FitSearch.cheapestSettings(layout, recipe: recipe, estimator: estimator)
            if let first = found.first {
                answer = Answer(question: find.rawValue, value: layout.seq, fits: true, estimate: first.estimate,
                                alternatives: found.dropFirst().map(\.estimate))
            }
        }
        switch output.format {
        case .json: try JSONOutput.print(answer)
        case .table: print(render(answer, model: resolved.model, cluster: resolved.cluster, layout: layout))
        }
    }

    func render(_ answer: Answer, model: TransformerModel, cluster: ClusterTopology, layout: ParallelLayout) -> String {
        guard let estimate = answer.estimate, let value = answer.value else {
            let what = find == .settings ? "no recompute/optimizer/offload setting fits --seq \(layout.seq)"
                : "nothing fits, not even a \(find == .maxSeq ? "1-token sequence" : "micro-batch of 1")"
            return "\(model.name) on \(layout.gpus) x \(cluster.accelerator.name): \(what)"
        }
        func line(_ e: Estimate) -> String {
            let r = e.recipe
            return String(format: "recompute %@, optimizer %@, offload %@: %.2f GiB of %.0f GiB, host %.1f GiB, %.0f tokens/s",
                          r.recompute.rawValue, r.optimizer.rawValue, (r.offload ?? .none).rawValue,
                          e.memory.total / gibibyte, e.memory.capacity / gibibyte,
                          (e.hostMemory?.perHost ?? 0) / gibibyte, e.tokensPerS)
        }
        var lines: [String] = []
        switch find {
        case .maxSeq: lines.append("\(model.name) on \(layout.gpus) x \(cluster.accelerator.name): longest sequence that fits: \(value) tokens")
        case .maxMicroBatch: lines.append("\(model.name) on \(layout.gpus) x \(cluster.accelerator.name): largest micro-batch that fits at seq \(layout.seq): \(value)")
        case .settings: lines.append("\(model.name) on \(layout.gpus) x \(cluster.accelerator.name), seq \(layout.seq): settings that fit, fastest first")
        }
        lines.append("  " + line(estimate))
        for alternative in answer.alternatives { lines.append("  " + line(alternative)) }
        return lines.joined(separator: "\n")
    }
}

import ArgumentParser
import CostModel
import Foundation
import Goodput
import Hardware
import Workloads

/// `loom estimate`: memory, communication, step time, throughput and MFU of one layout.
struct EstimateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "estimate",
        abstract: "Estimate per-GPU memory, step time, throughput and MFU of one parallel layout.",
        discussion: """
            Examples:
              loom estimate --model gpt3-175b --cluster dgx-a100-80gb --gpus 1024 \\
                  --tp 8 --pp 16 --micro-batch 1 --global-batch 1536 \\
                  --recompute full --framework megatron-lm
              loom estimate --model llama-3.1-70b --cluster dgx-h100 --gpus 512 \\
                  --tp 8 --pp 4 --micro-batch 1 --global-batch 512 --seq 8192 \\
                  --zero 1 --sequence-parallel --flash-attention \\
                  --recompute selective --format json
            """)

    @OptionGroup var workload: WorkloadOptions
    @OptionGroup var layoutOptions: LayoutOptions
    @OptionGroup var recipeOptions: RecipeOptions
    @OptionGroup(title: "Time to train") var trainingTime: TrainingTimeOptions
    @OptionGroup var price: GPUPriceOption
    @OptionGroup var output: FormatOption
    @OptionGroup var fit: RequireFitOption

    func run() throws {
        let resolved = try workload.resolve()
        let recipe = try recipeOptions.recipe()
        let layout = try resolved.validatedLayout(layoutOptions, recipe: recipe)
        let estimate = Estimator(model: resolved.model, cluster: resolved.cluster).estimate(layout, recipe: recipe)
        try FiniteCheck.check(estimate, what: "estimate", inputs: workload.inputs)
        let time = try trainingTime.settings(price: price.pricePerGPUHour).map {
            try TimeToTrainOutput.compute(estimate, settings: $0, model: resolved.model, cluster: resolved.cluster)
        }
        switch output.format {
        case .json: try JSONOutput.print(EstimateWithTime(estimate: estimate, timeToTrain: time))
        case .table:
            print(EstimateTable.render(estimate, model: resolved.model, cluster: resolved.cluster))
            if let assumed = try AssumedDefaults.line(layout: layoutOptions, recipe: recipeOptions, estimate: estimate,
                                                      accelerator: resolved.cluster.accelerator) {
                print(assumed)
            }
            if let time { print("\n" + TimeToTrainOutput.lines(time).joined(separator: "\n")) }
        }
        try fit.check(estimate)
    }
}

/// The human-readable form of an estimate.
enum EstimateTable {
    static func gib(_ bytes: Double) -> String { String(format: "%.2f", bytes / gibibyte) }

    static func render(_ e: Estimate, model: TransformerModel, cluster: ClusterTopology) -> String {
        let l = e.layout
        var lines: [String] = []
        lines.append("\(model.name) on \(l.gpus) x \(cluster.accelerator.name) (\(cluster.jobLabel(gpus: l.gpus))), "
            + e.recipe.recipe.summary)
        lines.append("layout: tp \(l.tp), pp \(l.pp), dp \(l.dp), cp \(l.cp), ep \(l.ep), vpp \(l.vpp), zero \(l.zero)\(l.shardGroup.map { " (fsdp \($0))" } ?? ""), "
            + "recompute \(e.recipe.remat?.rawValue ?? l.recompute.rawValue), sp \(l.sequenceParallel ? "on" : "off"), "
            + "flash \(l.flashAttention ? "on" : "off"), micro-batch \(l.microBatch), global batch \(l.globalBatch), seq \(l.seq)"
            + (l.targetSeq.map { ", target seq \($0)" } ?? ""))
        if let training = trainingLine(e.recipe) { lines.append(training) }
        lines.append("")
        lines.append(String(format: "step time      %.3f s", e.stepTimeS))
        lines.append(String(format: "throughput     %.0f tokens/s (%.1f tokens/s per GPU)", e.tokensPerS, e.tokensPerS / Double(l.gpus)))
        lines.append(String(format: "model TFLOP/s  %.1f per GPU", e.tflopsPerGpu))
        lines.append(String(format: "MFU / HFU      %.1f%% / %.1f%%", 100 * e.mfu, 100 * e.hfu))
        lines.append("")
        var time = TextTable(["time (exposed)", "seconds", "share"])
        let t = e.time
        let parts: [(String, Double)] = [
            ("compute", t.compute), ("recompute", t.recompute), ("pipeline bubble", t.bubble), ("TP communication", t.tpComm),
            ("PP communication", t.ppComm), ("DP communication", t.dpComm), ("CP communication", t.cpComm),
            ("EP communication", t.epComm), ("optimizer step", t.optimizer),
        ]
        for (name, seconds) in parts {
            time.add([name, String(format: "%.3f", seconds), String(format: "%.1f%%", e.stepTimeS > 0 ? 100 * seconds / e.stepTimeS : 0)])
        }
        lines.append(time.render())
        lines.append("")
        let m = e.memory
        var memory = TextTable(["memory (GiB)", "most loaded (stage \(m.mostLoadedStage))"] + (m.stages.count > 1 ? ["first", "last"] : []))
        func row(_ name: String, _ value: Double, _ pick: (MemoryBreakdown) -> Double) {
            var cells = [name, gib(value)]
            if m.stages.count > 1, let first = m.stages.first, let last = m.stages.last {
                cells += [gib(pick(first)), gib(pick(last))]
            }
            memory.add(cells)
        }
        row("weights", m.weights, \.weights)
        row("gradients", m.gradients, \.gradients)
        row("optimizer", m.optimizer, \.optimizer)
        row("activations", m.activations, \.activations)
        row("other", m.other, \.other)
        row("total", m.total, \.total)
        lines.append(memory.render())
        let gpuFits = m.total <= m.capacity
        lines.append(String(format: "capacity %.0f GiB per GPU: %@", m.capacity / gibibyte,
                            gpuFits ? "fits" : "DOES NOT FIT"))
        if let host = e.hostMemory, host.perGpu > 0 {
            let capacity = host.capacity.map { String(format: "%.0f GiB", $0 / gibibyte) } ?? "not stated"
            lines.append(String(format: "host memory %.2f GiB per GPU, %.2f GiB per host (capacity %@): %@",
                                host.perGpu / gibibyte, host.perHost / gibibyte, capacity, host.fits ? "fits" : "DOES NOT FIT"))
        }
        if m.stages.indices.contains(m.mostLoadedStage) {
            let stage = m.stages[m.mostLoadedStage]
            let free = max(m.capacity - stage.total, 0)
            if stage.pagedStates > 0 {
                lines.append(String(format: "paged optimizer states %.2f GiB: %@", stage.pagedStates / gibibyte,
                                    OffloadTime.pagedStatesMigrate(memory: stage, capacity: m.capacity)
                                        ? String(format: "more than the %.2f GiB of free GPU memory, so all of them cross the host link each step (in the optimizer step)",
                                                 free / gibibyte)
                                        : "resident in the free GPU memory"))
            }
        }
        return lines.joined(separator: "\n")
    }

    /// The training method and memory savers, when they differ from full mixed-precision training.
    static func trainingLine(_ r: RecipeEcho) -> String? {
        var parts: [String] = []
        if let tuning = r.fineTuning, tuning.method != .full {
            parts.append(tuning.method.usesAdapters
                ? "\(tuning.method.rawValue) rank \(tuning.rank), alpha \(tuning.alpha.formatted()), targets \(tuning.targets.map(\.rawValue).joined(separator: ","))"
                : "\(tuning.method.rawValue) (embeddings frozen)")
        }
        if r.masterWeights == false { parts.append("pure \(r.precision.rawValue) (no master weights)") }
        if let offload = r.offload, offload != .none { parts.append("offload \(offload.rawValue)") }
        if r.optimizerInBackward == true { parts.append("optimizer in backward") }
        return parts.isEmpty ? nil : "training: " + parts.joined(separator: ", ")
    }
}

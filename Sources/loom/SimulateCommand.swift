import ArgumentParser
import CostModel
import Foundation
import Goodput
import Hardware
import Simulator
import Workloads

/// `loom simulate`: an event-level timeline of one training step, with a Chrome trace and an
/// SVG Gantt chart of it.
struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Simulate one training step pass by pass; write a Chrome trace and an SVG timeline.",
        discussion: """
            Every forward and backward of every micro-batch is placed on its pipeline stage's
            compute stream in the schedule's order (1F1B, interleaved 1F1B with --vpp, GPipe),
            p2p transfers and data-parallel reductions on their own streams, durations from the
            cost model of `loom estimate`. The trace opens in Perfetto (ui.perfetto.dev) or
            chrome://tracing.

            Examples:
              loom simulate --model gpt3-175b --cluster dgx-a100-80gb --gpus 1024 \\
                  --tp 8 --pp 8 --micro-batch 1 --global-batch 1024 \\
                  --recompute full --framework megatron-lm \\
                  --trace step.json --svg step.svg
              loom simulate --model llama-3.1-70b --cluster dgx-h100 --gpus 64 \\
                  --tp 8 --pp 4 --vpp 2 --micro-batch 1 --global-batch 64 \\
                  --seq 8192 --zero 1 --format json
            """)

    @OptionGroup var workload: WorkloadOptions
    @OptionGroup var layoutOptions: LayoutOptions
    @OptionGroup var recipeOptions: RecipeOptions
    @OptionGroup var output: FormatOption
    @OptionGroup var fit: RequireFitOption
    @OptionGroup(title: "Time to train (marks the checkpoint save in the trace)") var trainingTime: TrainingTimeOptions

    @Option(name: .customLong("trace"), help: "Write the timeline as a Chrome trace (JSON) to this file.")
    var trace: String?
    @Option(name: .customLong("svg"), help: "Write the timeline as an SVG Gantt chart to this file.")
    var svg: String?

    func run() throws {
        let traceURL = try trace.map { try OutputPath.checked($0, flag: "--trace") }
        let svgURL = try svg.map { try OutputPath.checked($0, flag: "--svg") }
        let resolved = try workload.resolve()
        let recipe = try recipeOptions.recipe()
        let layout = try resolved.validatedLayout(layoutOptions, recipe: recipe)
        let estimate = Estimator(model: resolved.model, cluster: resolved.cluster).estimate(layout, recipe: recipe)
        let result = try StepSimulator(model: resolved.model, cluster: resolved.cluster).simulate(layout, recipe: recipe)
        try FiniteCheck.check(SimulationReport(estimate: estimate, result: result), what: "simulation", inputs: workload.inputs)
        let time = try trainingTime.settings().map {
            try TimeToTrainOutput.compute(estimate, settings: $0, model: resolved.model, cluster: resolved.cluster)
        }
        let checkpoint = time.map { CheckpointMarks(time: $0, stepSeconds: result.stepSeconds) }

        var written: [String] = []
        if let traceURL {
            try OutputPath.write(to: traceURL, flag: "--trace") {
                try ChromeTrace.write(result, marks: checkpoint?.marks ?? [], to: $0)
            }
            written.append("trace written to \(traceURL.path) (open in ui.perfetto.dev or chrome://tracing)")
        }
        if let svgURL {
            let title = "\(resolved.model.name) on \(layout.gpus) x \(resolved.cluster.accelerator.name): "
                + "tp \(layout.tp), pp \(layout.pp), dp \(layout.dp)\(layout.vpp > 1 ? ", vpp \(layout.vpp)" : ""), "
                + "\(layout.schedule == .gpipe ? "GPipe" : layout.vpp > 1 ? "interleaved 1F1B" : "1F1B")"
            try OutputPath.write(to: svgURL, flag: "--svg") { try GanttSVG.write(result, title: title, to: $0) }
            written.append("SVG written to \(svgURL.path)")
        }

        switch output.format {
        case .json:
            var report = SimulationReport(estimate: estimate, result: result)
            report.timeToTrain = time
            report.checkpointIntervalSteps = checkpoint?.intervalSteps
            try JSONOutput.print(report)
            for line in written { FileHandle.standardError.write(Data("loom: \(line)\n".utf8)) }
        case .table:
            print(SimulationTable.render(estimate: estimate, result: result, model: resolved.model,
                                         cluster: resolved.cluster))
            if let time, let checkpoint {
                print("\n" + TimeToTrainOutput.lines(time).joined(separator: "\n"))
                print(checkpoint.sentence)
            }
            for line in written { print(line) }
        }
        try fit.check(estimate)
    }
}

/// `loom simulate --format json`: the estimate's fields, with `stage_utilisation` from the
/// simulation, plus `simulated_step_time_s` and the simulation's per-stage figures.
struct SimulationReport: Encodable {
    var estimate: Estimate
    var simulatedStepTimeS: Double
    var analyticStepTimeS: Double
    var simulatedPipelineTimeS: Double
    var analyticStageUtilisation: [Double]
    var stageExposedCommS: [Double]
    var stageInlineCommS: [Double]
    var simulatedTasks: Int
    /// With --train-tokens: the estimate's time to train, and the steps between checkpoints.
    var timeToTrain: TimeToTrainReport? = nil
    var checkpointIntervalSteps: Int? = nil

    init(estimate: Estimate, result: SimulationResult) {
        var merged = estimate
        merged.stageUtilisation = result.busyFraction
        self.estimate = merged
        simulatedStepTimeS = result.stepSeconds
        analyticStepTimeS = estimate.stepTimeS
        simulatedPipelineTimeS = result.pipelineSeconds
        analyticStageUtilisation = estimate.stageUtilisation
        stageExposedCommS = result.exposedCommunicationSeconds
        stageInlineCommS = result.inlineCommunicationSeconds
        simulatedTasks = result.tasks.count
    }

    enum CodingKeys: String, CodingKey {
        case simulatedStepTimeS, analyticStepTimeS, simulatedPipelineTimeS, analyticStageUtilisation
        case stageExposedCommS, stageInlineCommS, simulatedTasks, timeToTrain, checkpointIntervalSteps
    }

    func encode(to encoder: Encoder) throws {
        try estimate.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(simulatedStepTimeS, forKey: .simulatedStepTimeS)
        try container.encode(analyticStepTimeS, forKey: .analyticStepTimeS)
        try container.encode(simulatedPipelineTimeS, forKey: .simulatedPipelineTimeS)
        try container.encode(analyticStageUtilisation, forKey: .analyticStageUtilisation)
        try container.encode(stageExposedCommS, forKey: .stageExposedCommS)
        try container.encode(stageInlineCommS, forKey: .stageInlineCommS)
        try container.encode(simulatedTasks, forKey: .simulatedTasks)
        try container.encodeIfPresent(timeToTrain, forKey: .timeToTrain)
        try container.encodeIfPresent(checkpointIntervalSteps, forKey: .checkpointIntervalSteps)
    }
}

/// The human-readable form of a simulation.
enum SimulationTable {
    static func render(estimate e: Estimate, result: SimulationResult, model: TransformerModel,
                       cluster: ClusterTopology) -> String {
        let l = e.layout
        var lines: [String] = []
        lines.append("\(model.name) on \(l.gpus) x \(cluster.accelerator.name) (\(cluster.jobLabel(gpus: l.gpus))), "
            + e.recipe.recipe.summary)
        lines.append("layout: tp \(l.tp), pp \(l.pp), dp \(l.dp), cp \(l.cp), ep \(l.ep), vpp \(l.vpp), zero \(l.zero), "
            + "recompute \(l.recompute.rawValue), flash \(l.flashAttention ? "on" : "off"), micro-batch \(l.microBatch), global batch \(l.globalBatch), seq \(l.seq), "
            + "\(result.microBatches) micro-batches per replica")
        lines.append("")
        let difference = e.stepTimeS > 0 ? 100 * (result.stepSeconds - e.stepTimeS) / e.stepTimeS : 0
        lines.append(String(format: "step time      %.3f s simulated, %.3f s analytic (%+.1f%%)",
                            result.stepSeconds, e.stepTimeS, difference))
        lines.append(String(format: "pipeline       %.3f s (last backward ends)", result.pipelineSeconds))
        lines.append(String(format: "throughput     %.0f tokens/s simulated",
                            result.stepSeconds > 0 ? Double(l.globalBatch) * Double(l.seq) / result.stepSeconds : 0))
        lines.append("")
        var table = TextTable(["stage", "busy", "busy (analytic)", "compute s", "exposed p2p/dp s", "TP/CP/EP in passes s"])
        for stage in 0..<result.stages {
            let analytic = stage < e.stageUtilisation.count ? e.stageUtilisation[stage] : 0
            table.add([
                "\(stage)", String(format: "%.1f%%", 100 * result.busyFraction[stage]),
                String(format: "%.1f%%", 100 * analytic),
                String(format: "%.3f", result.computeSeconds[stage]),
                String(format: "%.3f", result.exposedCommunicationSeconds[stage]),
                String(format: "%.3f", result.inlineCommunicationSeconds[stage]),
            ])
        }
        lines.append(table.render())
        return lines.joined(separator: "\n")
    }
}

/// Output files: checked before any work so that a bad path fails fast with one line.
enum OutputPath {
    static func checked(_ path: String, flag: String) throws -> URL {
        guard !path.isEmpty else { throw SimulationError("\(flag) needs a file path") }
        let url = URL(fileURLWithPath: path)
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        if manager.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw SimulationError("\(flag) \(path) is a directory, not a file")
        }
        let directory = url.deletingLastPathComponent()
        guard manager.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw SimulationError("\(flag) \(path): directory \(directory.path) does not exist")
        }
        // access(2) says yes to root everywhere; a probe file is the honest test.
        let probe = directory.appendingPathComponent(".loom-write-test-\(ProcessInfo.processInfo.processIdentifier)")
        guard manager.isWritableFile(atPath: directory.path),
              manager.createFile(atPath: probe.path, contents: Data()) else {
            throw SimulationError("\(flag) \(path): directory \(directory.path) is not writable")
        }
        try? manager.removeItem(at: probe)
        return url
    }

    static func write(to url: URL, flag: String, _ body: (URL) throws -> Void) throws {
        do {
            try body(url)
        } catch {
            throw SimulationError("\(flag) \(url.path) could not be written: \(error.localizedDescription)")
        }
    }
}

import ArgumentParser
import CostModel
import Foundation
import Goodput
import Hardware
import Planner
import Reporting
import Workloads

extension ScalingMode: ExpressibleByArgument {}

/// `--policy best|fixed` of `loom report scaling`.
enum ReportPolicy: String, ExpressibleByArgument, CaseIterable, Sendable {
    case best
    case fixed
}

/// `loom report`: scaling-efficiency reports and cluster comparisons (Reporting module).
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write scaling-efficiency reports and cluster comparisons (Markdown, HTML, SVG, CSV, JSON).",
        subcommands: [ReportScalingCommand.self, ReportCompareCommand.self])
}

/// What both report subcommands take besides the points: model, sequence, tokens, price, DIR.
struct ReportCommonOptions: ParsableArguments {
    @Option(help: "Model: a preset (`loom models`), a Hugging Face config.json, or a Loom YAML/JSON model file.")
    var model: String
    @Option(help: "Sequence length in tokens (default: the model's maximum context, at most 8192).")
    var seq: Int?
    @Option(help: "Tokens to train on for the time-to-train column, e.g. 300B, 15T, 2e12 (default: 20 per parameter, Hoffmann et al. 2022).")
    var tokens: String?
    @Option(name: .customLong("price-per-gpu-hour"), help: "Price of one GPU-hour for the cost column (compare: one price, or one per cluster, comma-separated).")
    var price: String?
    @Option(help: "Directory to write index.md, report.html, the SVG charts, data.csv and data.json into (replaced as a whole).")
    var out: String
    @Option(help: "What to print once DIR is written: table (a summary line and the headline) or json (data.json: the report and its narrative).")
    var format: OutputFormat = .table

    func sequenceLength(_ model: TransformerModel) throws -> Int {
        let seq = self.seq ?? LayoutValidation.defaultSequenceLength(for: model)
        if let problem = LayoutValidation.sequenceLengthProblem(seq) { throw ReportError(problem) }
        return seq
    }

    /// `--tokens`: a positive number with an optional K/M/B/T suffix (`TokenCount`, as --train-tokens).
    func trainTokens() throws -> Double? {
        guard let text = tokens else { return nil }
        do { return try TokenCount.parse(text) } catch let error as GoodputError {
            throw ReportError("--tokens: \(error.description)")
        }
    }

    /// `--price-per-gpu-hour`: `count` prices (one given for all, or one each).
    func prices(count: Int) throws -> [Double]? {
        guard let price else { return nil }
        let values = try price.split(separator: ",", omittingEmptySubsequences: false).map { part -> Double in
            let text = part.trimmingCharacters(in: .whitespaces)
            guard let value = Double(text), value.isFinite, value >= 0 else {
                throw ReportError("--price-per-gpu-hour \(price): '\(text)' is not a non-negative price")
            }
            return value
        }
        if values.count == 1 { return Array(repeating: values[0], count: count) }
        guard values.count == count else {
            throw ReportError("--price-per-gpu-hour \(price) gives \(values.count) prices for \(count) clusters; give one or \(count)")
        }
        return values
    }

    var writer: ReportWriter { ReportWriter(directory: URL(fileURLWithPath: out)) }
}

/// Runs a sweep with the progress bar, builds the report and writes DIR (checked first).
enum ReportRun {
    static func execute(_ sweep: ScalingSweep, kind: ReportKind, model: TransformerModel, mode: ScalingMode?,
                        options: ReportCommonOptions, prices: [String: Double],
                        recovery: TrainingTimeSettings? = nil) throws {
        let writer = options.writer
        try writer.preflight()
        let bar = ProgressBar()
        let outcomes = try sweep.run { done, total, label in bar.update(done: done, total: total, label: label) }
        let report = ScalingReport(kind: kind, model: model, sweep: sweep, outcomes: outcomes, mode: mode,
                                   trainTokens: try options.trainTokens(), prices: prices, recovery: recovery)
        let files = try ReportWriter.files(for: report, command: commandLine())
        try writer.write(files)
        let charts = files.filter { $0.name.hasSuffix(".svg") }.count
        switch options.format {
        case .json:
            FileHandle.standardOutput.write(try ReportWriter.jsonData(report))
        case .table:
            print("wrote \(writer.directory.path): index.md, report.html, data.csv, data.json and \(charts) SVG charts")
            print(report.headline)
            print("Recommendation: " + ReportNarrative.recommendation(report))
        }
        for note in report.rows.compactMap({ row in row.reason.map { "no layout at \(row.gpus) GPUs on \(row.cluster): \($0)" } }) {
            FileHandle.standardError.write(Data("loom: \(note)\n".utf8))
        }
    }

    /// The command as typed, for the report's "generated by" line.
    static func commandLine() -> String {
        (["loom"] + CommandLine.arguments.dropFirst()).map { argument in
            argument.contains(where: { " \"'$".contains($0) }) ? "'" + argument.replacingOccurrences(of: "'", with: "'\\''") + "'"
                                                              : argument
        }.joined(separator: " ")
    }

    /// A comma-separated list of positive integers.
    static func parseGPUList(_ text: String) throws -> [Int] {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        if parts.allSatisfy(\.isEmpty) { throw ReportError("--gpus is empty; give GPU counts like 64,128,256") }
        let counts = try parts.map { part -> Int in
            guard let n = Int(part.replacingOccurrences(of: "_", with: "")) else {
                throw ReportError("--gpus \(text): '\(part)' is not a GPU count")
            }
            return n
        }
        try ScalingSweep.checkGPUList(counts)
        return counts
    }
}

/// `loom report scaling`: the best (or a fixed) layout at each GPU count, with efficiency.
struct ReportScalingCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scaling",
        abstract: "Throughput, MFU, scaling efficiency, memory and time to train across GPU counts.",
        discussion: """
            For each GPU count the planner's best layout (or, with --policy fixed, the layout flags held fixed, DP following the GPU count). Strong scaling keeps the global batch; weak scaling grows it with the GPUs. DIR is written atomically.

            Examples:
              loom report scaling --model gpt3-175b --cluster dgx-a100-80gb \\
                --gpus 64,128,256,512,1024 --global-batch 1536 --seq 2048 \\
                --out Reports/gpt3-175b
              loom report scaling --model llama-3.1-70b --cluster dgx-h100 \\
                --gpus 64,128,256 --tokens-per-batch 4194304 --mode weak \\
                --policy fixed --tp 8 --pp 4 --zero 1 --recompute full --out out
            """)

    @OptionGroup var common: ReportCommonOptions
    @Option(help: "Cluster: a topology name (`loom clusters`) or a topology YAML file.")
    var cluster: String
    @Option(help: "GPU counts, strictly increasing and comma-separated, e.g. 64,128,256.")
    var gpus: String
    @Option(name: .customLong("global-batch"), help: "Global batch in sequences (at the smallest count in weak mode).")
    var globalBatch: Int?
    @Option(name: .customLong("tokens-per-batch"), help: "Global batch in tokens instead (rounded down to whole sequences).")
    var tokensPerBatch: Int?
    @Option(help: "strong: same global batch at every count; weak: the batch grows with the GPUs.")
    var mode: ScalingMode = .strong
    @Option(help: "best: the planner's best layout per count (layout flags fix dimensions); fixed: the layout flags as given.")
    var policy: ReportPolicy = .best
    @OptionGroup var layoutOptions: LayoutOptions
    @OptionGroup var recipeOptions: RecipeOptions
    @OptionGroup(title: "Time to train") var trainingTime: TrainingTimeOptions

    func run() throws {
        let counts = try ReportRun.parseGPUList(gpus)
        let model = try ModelCatalog.load(common.model)
        let topology = try TopologyCatalog.load(cluster)
        let seq = try common.sequenceLength(model)
        let batch = try globalBatchInSequences(seq: seq)
        let layoutPolicy = try makePolicy(gpus: counts[0], batch: batch, seq: seq)
        let sweep = try ScalingSweep.scaling(model: model, cluster: topology, gpus: counts, globalBatch: batch, seq: seq,
                                             mode: mode, policy: layoutPolicy)
        let prices = try common.prices(count: 1).map { [topology.name: $0[0]] } ?? [:]
        // --train-tokens is --tokens under the name estimate and plan use; the failure flags apply to both.
        if trainingTime.trainTokens != nil, common.tokens != nil {
            throw ReportError("give the token count once: --tokens or --train-tokens")
        }
        var options = common
        if let text = trainingTime.trainTokens { options.tokens = text }
        let tokens = try options.trainTokens() ?? ScalingReport.computeOptimalTokensPerParameter * Double(model.totalParameters)
        let recovery = try trainingTime.settings(tokens: tokens)
        try ReportRun.execute(sweep, kind: .scaling, model: model, mode: mode, options: options, prices: prices,
                              recovery: recovery)
    }

    /// `--global-batch` or `--tokens-per-batch` / seq, exactly one of them.
    func globalBatchInSequences(seq: Int) throws -> Int {
        switch (globalBatch, tokensPerBatch) {
        case (let batch?, nil):
            if batch < 1 { throw ReportError("--global-batch \(batch) must be a positive integer") }
            return batch
        case (nil, let tokens?):
            guard tokens >= seq else {
                throw ReportError("--tokens-per-batch \(tokens) is less than one sequence of --seq \(seq) tokens")
            }
            return tokens / seq
        case (nil, nil):
            throw ReportError("give the batch: --global-batch B (sequences) or --tokens-per-batch T")
        case (.some, .some):
            throw ReportError("give either --global-batch or --tokens-per-batch, not both")
        }
    }

    func makePolicy(gpus: Int, batch: Int, seq: Int) throws -> LayoutPolicy {
        switch policy {
        case .best:
            return .best(try layoutOptions.planConstraints(recipeOptions))
        case .fixed:
            if let dp = layoutOptions.dp {
                throw ReportError("--dp \(dp) cannot be held fixed: with --policy fixed DP follows the GPU count")
            }
            let tp = layoutOptions.tp ?? 1, pp = layoutOptions.pp ?? 1, cp = layoutOptions.cp ?? 1
            let (group, overflow) = tp.multipliedReportingOverflow(by: pp)
            let (group2, overflow2) = group.multipliedReportingOverflow(by: cp)
            guard !overflow, !overflow2, group2 >= 1 else {
                throw ReportError("--tp \(tp) --pp \(pp) --cp \(cp) must be positive and fit in an integer")
            }
            let layout = try layoutOptions.layout(gpus: group2, globalBatch: batch, seq: seq, recipe: try recipeOptions.recipe())
            return .fixed(layout, try recipeOptions.recipe())
        }
    }
}

/// `loom report compare`: the same model and GPU count on several clusters.
struct ReportCompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare clusters (e.g. A100 vs H100 vs B200) for one model, GPU count and batch.",
        discussion: """
            The planner's best layout on each cluster (layout flags fix dimensions), with throughput, MFU, memory, time to train and cost. Writes the same file set as `report scaling`.

            Example:
              loom report compare --model llama-3.1-70b \\
                --clusters dgx-a100-80gb,dgx-h100,dgx-b200 --gpus 1024 \\
                --global-batch 1024 --seq 8192 --price-per-gpu-hour 1.8,2.5,4.0 \\
                --out Reports/compare
            """)

    @OptionGroup var common: ReportCommonOptions
    @Option(help: "Clusters to compare, comma-separated topology names or YAML files.")
    var clusters: String
    @Option(help: "Number of GPUs on every cluster.")
    var gpus: Int
    @Option(name: .customLong("global-batch"), help: "Global batch size in sequences per optimizer step.")
    var globalBatch: Int
    @OptionGroup var layoutOptions: LayoutOptions
    @OptionGroup var recipeOptions: RecipeOptions

    func run() throws {
        let names = clusters.split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        guard !names.isEmpty, !names.contains(where: \.isEmpty) else {
            throw ReportError("--clusters '\(clusters)' must be a comma-separated list of cluster names")
        }
        let model = try ModelCatalog.load(common.model)
        let topologies = try names.map { try TopologyCatalog.load($0) }
        let seq = try common.sequenceLength(model)
        let sweep = try ScalingSweep.comparison(model: model, clusters: topologies, gpus: gpus, globalBatch: globalBatch,
                                                seq: seq, policy: .best(try layoutOptions.planConstraints(recipeOptions)))
        var prices: [String: Double] = [:]
        if let list = try common.prices(count: topologies.count) {
            for (topology, price) in zip(topologies, list) { prices[topology.name] = price }
        }
        _ = try common.trainTokens()
        try ReportRun.execute(sweep, kind: .compare, model: model, mode: nil, options: common, prices: prices)
    }
}

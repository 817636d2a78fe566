import ArgumentParser
import Foundation
import Hardware
import Validation

/// `loom validate`: reported vs predicted throughput of published training runs.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Compare Loom's predicted tokens/s with published training runs.",
        discussion: """
            The default runs file is Validation/published-runs.json (22 A100 runs: Megatron-LM 2021
            Table 1, GPT-3 175B on 1024 GPUs, Korthikanti et al. 2022 Table 5, MT-NLG 530B).
            Examples:
              loom validate
              loom validate --runs my-runs.json --format json
            """)

    @Option(help: "Runs file in the format of Validation/published-runs.json.")
    var runs: String?
    @OptionGroup var output: FormatOption

    func run() throws {
        let path = runs ?? Self.defaultRunsPath()
        let published = try ValidationRunner.loadRuns(path: path)
        let report = try ValidationRunner.validate(runs: published) { try TopologyCatalog.load($0) }
        switch output.format {
        case .json: try JSONOutput.print(report)
        case .table:
            var table = TextTable(["run", "framework", "reported tok/s", "predicted tok/s", "error", "MFU pred", "MFU rep"])
            for row in report.runs {
                table.add([row.id, row.framework, String(format: "%.0f", row.reportedTokensPerS),
                           String(format: "%.0f", row.predictedTokensPerS), String(format: "%+.1f%%", 100 * row.error),
                           String(format: "%.3f", row.predictedMfu), row.reportedMfu.map { String(format: "%.3f", $0) } ?? "-"])
            }
            print(table.render())
            print(String(format: "\n%d runs: mean |error| %.1f%%, max |error| %.1f%%", report.runs.count,
                         100 * report.meanAbsError, 100 * report.maxAbsError))
        }
    }

    /// Validation/published-runs.json in the working directory, else beside the repository
    /// that holds the running binary.
    static func defaultRunsPath() -> String {
        let local = "Validation/published-runs.json"
        if FileManager.default.fileExists(atPath: local) { return local }
        var dir = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        while dir.path != "/" {
            let candidate = dir.appendingPathComponent(local)
            if FileManager.default.fileExists(atPath: candidate.path) { return candidate.path }
            dir = dir.deletingLastPathComponent()
        }
        return local
    }
}

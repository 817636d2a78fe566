import ArgumentParser
import Calibration
import CostModel
import Foundation
import Hardware

/// `loom compare-collectives`: measured loom-bench times against the cost model's prediction on a
/// topology, per size (ARCHITECTURE.md contract: `{"rows": [{"collective", "bytes", "ranks",
/// "measured_us", "predicted_us", "error"}], "median_abs_error": x}`).
struct CompareCollectivesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare-collectives",
        abstract: "Compare measured collective times (loom-bench JSON) with the cost model's prediction.",
        discussion: """
            A run on one host is predicted on the cluster's scale-up tier, a run across hosts on its \
            scale-out tier, with the topology's calibration entries when it has them (loom \
            calibrate). error = (predicted - measured) / measured.

            Examples:
              loom compare-collectives --bench allreduce.json --cluster dgx-h100
              loom compare-collectives --bench run2.json --cluster a.yaml --format json
            """)

    @Option(parsing: .upToNextOption, help: ArgumentHelp("loom-bench --format json files (one or more).",
                                                         valueName: "results.json"))
    var bench: [String] = []

    @Option(help: "The topology to predict with: a name from `loom clusters` or a YAML path.")
    var cluster: String

    @Option(help: "Which time of loom-bench's time_us to compare: min, avg or max over ranks.")
    var time: String = TimeStatistic.avg.rawValue

    @OptionGroup var output: FormatOption

    func run() throws {
        guard let statistic = TimeStatistic(rawValue: time.lowercased()) else {
            throw ValidationError("--time '\(time)' is not a time statistic: choose min, avg or max")
        }
        let runs = try CalibrateCommand.loadRuns(bench)
        let topology = try TopologyCatalog.load(cluster)
        let comparison = try CollectiveComparison.compare(runs: runs, cluster: topology, statistic: statistic)
        switch output.format {
        case .json: try JSONOutput.print(comparison)
        case .table:
            var table = TextTable(["collective", "bytes", "ranks", "measured us", "predicted us", "error"])
            for row in comparison.rows {
                table.add([row.collective, "\(row.bytes)", "\(row.ranks)", String(format: "%.2f", row.measuredUs),
                           String(format: "%.2f", row.predictedUs), String(format: "%+.1f%%", 100 * row.error)])
            }
            print(table.render())
            print("\n\(comparison.rows.count) sizes on \(topology.name): median |error| "
                  + String(format: "%.1f%%", 100 * comparison.medianAbsError))
        }
    }
}

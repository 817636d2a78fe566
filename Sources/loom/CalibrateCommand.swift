import ArgumentParser
import Calibration
import CostModel
import Foundation
import Hardware

/// `loom calibrate`: fit the alpha-beta parameters of each measured collective and tier to
/// loom-bench JSON and write a topology file that uses them (Sources/Calibration/CALIBRATION.md).
struct CalibrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calibrate",
        abstract: "Fit collective latency and bandwidth to loom-bench results; write a calibrated topology.",
        discussion: """
            Runs on one host calibrate the intra-node tier (scale_up), runs across hosts the \
            inter-node tier (scale_out). Each collective is fitted with the cost model's own formula, \
            time = alpha x latency steps + beta x bus factor x bytes (Thakur et al. 2005; nccl-tests \
            PERFORMANCE.md), by a robust (Huber) fit of the log residuals. The output is the base \
            topology with the fitted calibration entries and tier latency/bandwidth, written \
            atomically. How to calibrate a cluster: Sources/Calibration/CALIBRATION.md.

            Examples:
              loom calibrate --bench ar.json ag.json --base dgx-h100 --out node.yaml
              loom calibrate --bench r100.json r400.json --link-rate 100mbit 400mbit \\
                --target-rate 200mbit --base dgx-h100 --out net200.yaml --format json
            """)

    @Option(parsing: .upToNextOption, help: ArgumentHelp("loom-bench --format json files (one or more).",
                                                         valueName: "results.json"))
    var bench: [String] = []

    @Option(help: "The topology to start from: a name from `loom clusters` or a YAML path.")
    var base: String

    @Option(help: ArgumentHelp("Where to write the calibrated topology (.yaml); its file name is the topology's name.",
                               valueName: "Topologies/NAME.yaml"))
    var out: String

    @Option(help: "Which time of loom-bench's time_us to fit: min, avg or max over ranks.")
    var time: String = TimeStatistic.avg.rawValue

    @Option(help: "Fit loss: huber (default), lad (least absolute deviation) or ls (least squares).")
    var loss: String = FitLoss.huber.rawValue

    @Option(name: .customLong("link-rate"), parsing: .upToNextOption,
            help: ArgumentHelp("The link rate of each --bench file, in order (e.g. 100mbit 400mbit).", valueName: "rate"))
    var linkRate: [String] = []

    @Option(help: ArgumentHelp("The link rate the output describes, when the files span several rates.",
                               valueName: "rate"))
    var targetRate: String?

    @Option(name: .customLong("min-r2"),
            help: ArgumentHelp("Refuse to write a topology from a fit whose R^2 on log times is below this (default 0).",
                               valueName: "r2"))
    var minR2: Double = CalibrationOptions.defaultMinimumRSquared

    @OptionGroup var output: FormatOption

    func run() throws {
        let options = try calibrationOptions()
        let name = try Self.topologyName(out)
        let runs = try Self.loadRuns(bench)
        let baseTopology = try TopologyCatalog.load(base)
        let result = try Calibration.calibrate(runs: runs, base: baseTopology, name: name, options: options)
        let yaml = result.topology.yamlString()
        // The file must load back as it will be read by estimate/plan/report.
        _ = try TopologyLoader.parse(yaml, file: out)
        do {
            try Data(yaml.utf8).write(to: URL(fileURLWithPath: out), options: .atomic)
        } catch {
            throw ValidationError("--out \(out) cannot be written: \(error.localizedDescription)")
        }
        let report = CalibrationReport(result, out: out, options: options)
        switch output.format {
        case .json: try JSONOutput.print(report)
        case .table: print(report.text())
        }
    }

    func calibrationOptions() throws -> CalibrationOptions {
        guard let statistic = TimeStatistic(rawValue: time.lowercased()) else {
            throw ValidationError("--time '\(time)' is not a time statistic: choose min, avg or max")
        }
        guard let fitLoss = FitLoss(rawValue: loss.lowercased()) else {
            throw ValidationError("--loss '\(loss)' is not a fit loss: choose huber, lad or ls")
        }
        var rates: [LinkRate] = []
        for text in linkRate.flatMap({ $0.split(separator: ",").map(String.init) }) {
            guard let rate = LinkRate(parsing: text) else {
                throw ValidationError("--link-rate '\(text)' is not a rate: write it as tc does, e.g. 100mbit or 1gbit")
            }
            rates.append(rate)
        }
        var target: LinkRate?
        if let targetRate {
            guard let rate = LinkRate(parsing: targetRate) else {
                throw ValidationError("--target-rate '\(targetRate)' is not a rate: write it as tc does, e.g. 200mbit")
            }
            target = rate
        }
        guard minR2.isFinite, minR2 <= 1 else {
            throw ValidationError("--min-r2 \(minR2) must be a finite number at most 1")
        }
        return CalibrationOptions(statistic: statistic, loss: fitLoss, linkRates: rates, targetRate: target,
                                  minimumRSquared: minR2)
    }

    /// Loads every file, or fails on the first bad one; at least one file is required.
    static func loadRuns(_ paths: [String]) throws -> [BenchmarkRun] {
        guard !paths.isEmpty else {
            throw ValidationError("--bench needs at least one loom-bench JSON file (mpirun ... loom-bench allreduce --format json --out FILE)")
        }
        return try paths.map { try BenchmarkRun.load(path: $0) }
    }

    /// The topology name for `--out`: its file name without `.yaml`; the folder must exist.
    static func topologyName(_ out: String) throws -> String {
        let url = URL(fileURLWithPath: out)
        let ext = url.pathExtension.lowercased()
        guard ext == "yaml" || ext == "yml" else {
            throw ValidationError("--out \(out) must be a .yaml file (the topology's name is its file name)")
        }
        let name = url.deletingPathExtension().lastPathComponent
        guard !name.isEmpty, !name.hasPrefix(".") else {
            throw ValidationError("--out \(out) needs a file name before .yaml")
        }
        var isDirectory: ObjCBool = false
        let folder = url.deletingLastPathComponent().path
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ValidationError("--out \(out): folder \(folder) does not exist")
        }
        return name
    }
}

/// What `loom calibrate` prints: the fits with per-size residuals, the link-rate models and the
/// entries written (`--format json`: this object, snake_case keys).
struct CalibrationReport: Encodable {
    struct Fit: Encodable {
        var collective: String
        var tier: String
        var ranks: Int
        var linkRateBitsPerS: Double?
        var files: [String]
        var alphaUs: Double
        var betaUsPerByte: Double
        var busBandwidthGbps: Double
        var latencySteps: Double
        var busFactor: Double
        var rSquared: Double
        var rSquaredLog: Double
        var medianAbsError: Double
        var maxAbsError: Double
        var points: [CollectiveFit.Point]
        var minBytes: Double?
        var maxBytes: Double?
    }

    var out: String
    var topology: String
    var statistic: String
    var loss: String
    var targetRateBitsPerS: Double?
    var fits: [Fit]
    var rateModels: [LinkRateModel]
    var entries: [CollectiveCalibration]

    init(_ result: CalibrationResult, out: String, options: CalibrationOptions) {
        self.out = out
        topology = result.topology.name
        statistic = options.statistic.rawValue
        loss = options.loss.rawValue
        targetRateBitsPerS = options.targetRate?.bitsPerSecond
        fits = result.fits.map { rated in
            let fit = rated.fit
            return Fit(collective: fit.collective, tier: fit.tier, ranks: fit.ranks,
                       linkRateBitsPerS: rated.rate?.bitsPerSecond, files: rated.files, alphaUs: fit.alphaUs,
                       betaUsPerByte: fit.betaUsPerByte, busBandwidthGbps: fit.busBandwidthGbps,
                       latencySteps: fit.latencySteps, busFactor: fit.busFactor, rSquared: fit.rSquared,
                       rSquaredLog: fit.rSquaredLog, medianAbsError: fit.medianAbsError, maxAbsError: fit.maxAbsError,
                       points: fit.points, minBytes: fit.minBytes, maxBytes: fit.maxBytes)
        }
        rateModels = result.rateModels
        entries = result.entries
    }

    func text() -> String {
        var lines: [String] = []
        var summary = TextTable(["collective", "tier", "ranks", "link rate", "alpha us/step", "busbw GB/s", "R^2",
                                 "R^2 log", "median |err|", "max |err|"])
        for fit in fits {
            summary.add([fit.collective, fit.tier, "\(fit.ranks)",
                         fit.linkRateBitsPerS.map { LinkRate(bitsPerSecond: $0).description } ?? "-",
                         String(format: "%.3f", fit.alphaUs), String(format: "%.4g", fit.busBandwidthGbps),
                         String(format: "%.4f", fit.rSquared), String(format: "%.4f", fit.rSquaredLog),
                         String(format: "%.1f%%", 100 * fit.medianAbsError), String(format: "%.1f%%", 100 * fit.maxAbsError)])
        }
        lines.append("Fit: \(FitLoss(rawValue: loss)?.summary ?? loss) of time_us.\(statistic)")
        lines.append(summary.render())
        for fit in fits {
            let rate = fit.linkRateBitsPerS.map { " at " + LinkRate(bitsPerSecond: $0).description } ?? ""
            var range = ""
            if fit.minBytes != nil || fit.maxBytes != nil {
                range = ", sizes " + (fit.minBytes.map { String(format: "%.0f", $0) } ?? "0") + " to "
                    + (fit.maxBytes.map { String(format: "%.0f", $0) } ?? "any") + " bytes"
            }
            lines.append("\n\(fit.collective), \(fit.tier), \(fit.ranks) ranks\(rate)\(range): residuals per size")
            var table = TextTable(["bytes", "measured us", "fitted us", "error"])
            for point in fit.points {
                table.add(["\(point.bytes)", String(format: "%.2f", point.measuredUs), String(format: "%.2f", point.fittedUs),
                           String(format: "%+.1f%%", 100 * point.error)])
            }
            lines.append(table.render())
        }
        if !rateModels.isEmpty {
            lines.append("\nLink-rate models, fitted jointly over all rates: time = alpha x steps + (beta0 + beta1/rate) x bus bytes")
            var table = TextTable(["collective", "tier", "alpha us/step", "beta0 us/B", "wire efficiency", "median |err|"])
            for model in rateModels {
                table.add([model.collective, model.tier, String(format: "%.3f", model.alphaUs),
                           String(format: "%.4g", model.beta0UsPerByte), String(format: "%.3f", model.wireEfficiency),
                           String(format: "%.1f%%", 100 * model.medianAbsError)])
            }
            lines.append(table.render())
        }
        let written = entries.map { entry in
            "\(entry.collective)/\(entry.tier) alpha " + String(format: "%.3f us, busbw %.4g GB/s", entry.alphaUs,
                                                                      entry.betaUsPerByte > 0 ? 1e-3 / entry.betaUsPerByte : 0)
        }
        lines.append("\nWrote \(out) (topology '\(topology)'): " + written.joined(separator: "; "))
        return lines.joined(separator: "\n")
    }
}

import CostModel
import Foundation

/// One chart of a report: its file name in DIR, a caption and the SVG text.
public struct ReportChart: Sendable, Hashable {
    public var fileName: String
    public var caption: String
    public var svg: String
}

/// The four charts of a report: throughput, MFU and efficiency, time breakdown, memory breakdown.
public enum ReportCharts {
    public static func all(_ report: ScalingReport) -> [ReportChart] {
        switch report.kind {
        case .scaling: return [scalingThroughput(report), scalingEfficiency(report), timeBreakdown(report),
                               memoryBreakdown(report), timeToTrain(report)]
        case .compare: return [compareThroughput(report), compareMFU(report), timeBreakdown(report),
                               memoryBreakdown(report)]
        }
    }

    static let tickPercent: @Sendable (Double) -> String = { String(format: "%.0f%%", 100 * $0) }
    static let tickCompact: @Sendable (Double) -> String = { ReportFormat.compact($0) }

    static func scalingThroughput(_ report: ScalingReport) -> ReportChart {
        let planned = report.plannedRows
        let measured = planned.compactMap { row in row.estimate.map { (x: Double(row.gpus), y: $0.tokensPerS) } }
        let name = report.policy == "fixed" ? "Loom estimate (fixed layout)" : "Loom estimate (best layout per GPU count)"
        var series: [ChartSeries] = []
        if let base = planned.first, let estimate = base.estimate {
            let perGPU = estimate.tokensPerS / Double(max(base.gpus, 1))
            let ideal = report.rows.map { (x: Double($0.gpus), y: perGPU * Double($0.gpus)) }
            series.append(ChartSeries(name: "Ideal linear scaling from \(ReportFormat.integer(Double(base.gpus))) GPUs",
                                      points: ideal, color: SeriesPalette.reference, dashed: true))
        }
        // Drawn last, on top of the ideal line.
        series.append(ChartSeries(name: name, points: measured, color: SeriesPalette.color("throughput")))
        let chart = LineChart(
            title: "Aggregate throughput vs GPUs", subtitle: "\(report.model), \(report.clusters.joined(separator: ", ")); "
                + "log-log axes", xLabel: "GPUs (log scale)", yLabel: "Throughput (tokens/s, log scale)", xKind: .log,
            yKind: .log, series: series, xTicks: report.rows.map { Double($0.gpus) })
        return ReportChart(fileName: "throughput.svg", caption: "Aggregate throughput (tokens/s) against GPUs, log-log, "
            + "with the ideal linear line", svg: chart.svg())
    }

    static func scalingEfficiency(_ report: ScalingReport) -> ReportChart {
        let planned = report.plannedRows
        let mfu = planned.compactMap { row in row.estimate.map { (x: Double(row.gpus), y: $0.mfu) } }
        let efficiency = planned.compactMap { row in row.scalingEfficiency.map { (x: Double(row.gpus), y: $0) } }
        let chart = LineChart(
            title: "MFU and scaling efficiency vs GPUs",
            subtitle: "Scaling efficiency: tokens/s per GPU relative to \(ReportFormat.integer(Double(report.baselineGpus ?? 0))) GPUs",
            xLabel: "GPUs (log scale)", yLabel: "Percent", xKind: .log, yKind: .linear,
            series: [ChartSeries(name: "Scaling efficiency", points: efficiency, color: SeriesPalette.color("scaling efficiency")),
                     ChartSeries(name: "MFU (model FLOPs utilisation)", points: mfu, color: SeriesPalette.color("MFU"))],
            xTicks: report.rows.map { Double($0.gpus) }, yFormat: tickPercent)
        return ReportChart(fileName: "efficiency.svg", caption: "MFU and scaling efficiency against GPUs", svg: chart.svg())
    }

    /// Days to train against GPUs, without and with failures: the second curve bends back up
    /// when the job's failures (N times one GPU's) cost more than its extra GPUs gain.
    static func timeToTrain(_ report: ScalingReport) -> ReportChart {
        let planned = report.plannedRows
        let ideal = planned.compactMap { row in row.timeToTrainS.map { (x: Double(row.gpus), y: $0 / 86_400) } }
        let failing = planned.compactMap { row in
            row.timeToTrainWithFailuresS.map { (x: Double(row.gpus), y: $0 / 86_400) }
        }
        let chart = LineChart(
            title: "Time to train vs GPUs", subtitle: "\(ReportFormat.compact(report.trainTokens)) tokens; with failures "
                + "and checkpoints (Goodput: failure rate x GPUs, Daly's interval)",
            xLabel: "GPUs (log scale)", yLabel: "Days (log scale)", xKind: .log, yKind: .log,
            series: [ChartSeries(name: "Without failures", points: ideal, color: SeriesPalette.reference, dashed: true),
                     ChartSeries(name: "With failures and checkpoints", points: failing, color: SeriesPalette.color("with failures"))],
            xTicks: report.rows.map { Double($0.gpus) })
        return ReportChart(fileName: "time-to-train.svg", caption: "Days to train against GPUs, without and with "
            + "failures and checkpoints", svg: chart.svg())
    }

    static func compareThroughput(_ report: ScalingReport) -> ReportChart {
        let chart = StackedBarChart(
            title: "Aggregate throughput by cluster",
            subtitle: "\(report.model) on \(ReportFormat.integer(Double(report.rows.first?.gpus ?? 0))) GPUs",
            xLabel: "Cluster", yLabel: "Throughput (tokens/s)", categories: categories(report),
            segments: [BarSegment(name: "tokens/s", color: SeriesPalette.color("throughput"),
                                  values: report.rows.map { $0.estimate?.tokensPerS ?? 0 })],
            notes: notes(report))
        return ReportChart(fileName: "throughput.svg", caption: "Aggregate throughput (tokens/s) by cluster", svg: chart.svg())
    }

    static func compareMFU(_ report: ScalingReport) -> ReportChart {
        let chart = StackedBarChart(
            title: "MFU by cluster", subtitle: "Model FLOPs / (step time x GPUs x peak bf16 FLOP/s)",
            xLabel: "Cluster", yLabel: "MFU (percent)", categories: categories(report),
            segments: [BarSegment(name: "MFU", color: SeriesPalette.color("MFU"), values: report.rows.map { $0.estimate?.mfu ?? 0 })],
            notes: notes(report), yFormat: tickPercent)
        return ReportChart(fileName: "efficiency.svg", caption: "Model FLOPs utilisation by cluster", svg: chart.svg())
    }

    static func timeBreakdown(_ report: ScalingReport) -> ReportChart {
        let parts: [(String, String, (TimeBreakdown) -> Double)] = [
            ("compute", SeriesPalette.color("compute"), { $0.compute }), ("recompute", SeriesPalette.color("recompute"), { $0.recompute }),
            ("pipeline bubble", SeriesPalette.color("pipeline bubble"), { $0.bubble }), ("TP comm", SeriesPalette.color("TP comm"), { $0.tpComm }),
            ("PP comm", SeriesPalette.color("PP comm"), { $0.ppComm }), ("DP comm", SeriesPalette.color("DP comm"), { $0.dpComm }),
            ("CP comm", SeriesPalette.color("CP comm"), { $0.cpComm }), ("EP comm", SeriesPalette.color("EP comm"), { $0.epComm }),
            ("optimizer", SeriesPalette.color("optimizer"), { $0.optimizer }),
        ]
        // Scaling: each bar as shares of its step time (step times differ by the GPU ratio, which
        // would flatten the large counts); compare: seconds, so the clusters' speeds show.
        let share = report.kind == .scaling
        let segments = parts.compactMap { name, color, value -> BarSegment? in
            let values = report.rows.map { row -> Double in
                guard let estimate = row.estimate else { return 0 }
                let total = estimate.time.total
                return share ? (total > 0 ? value(estimate.time) / total : 0) : value(estimate.time)
            }
            return values.contains { $0 > 0 } ? BarSegment(name: name, color: color, values: values) : nil
        }
        let subtitle: String = (share ? "Share of each GPU count's step time" : "Seconds per optimizer step")
            + "; communication is the part not hidden behind compute"
        let yLabel: String = share ? "Share of step time" : "Time per step (s)"
        let format = share ? tickPercent : tickCompact
        let upper: Double? = share ? 1 : nil
        let chart = StackedBarChart(
            title: "Where the step time goes", subtitle: subtitle, xLabel: xLabel(report), yLabel: yLabel,
            categories: categories(report), segments: segments, notes: notes(report), yFormat: format, yUpper: upper)
        let caption = share ? "Step time broken down (share of each step)" : "Step time broken down (seconds per step)"
        return ReportChart(fileName: "time-breakdown.svg", caption: caption, svg: chart.svg())
    }

    static func memoryBreakdown(_ report: ScalingReport) -> ReportChart {
        let gib = 1_073_741_824.0
        let parts: [(String, String, (MemoryReport) -> Double)] = [
            ("weights", SeriesPalette.color("weights"), { $0.weights }), ("gradients", SeriesPalette.color("gradients"), { $0.gradients }),
            ("optimizer states", SeriesPalette.color("optimizer states"), { $0.optimizer }),
            ("activations", SeriesPalette.color("activations"), { $0.activations }), ("other", SeriesPalette.color("other"), { $0.other }),
        ]
        let segments = parts.map { name, color, value in
            BarSegment(name: name, color: color, values: report.rows.map { row in row.estimate.map { value($0.memory) / gib } ?? 0 })
        }
        let chart = StackedBarChart(
            title: "Memory per GPU", subtitle: "Most loaded GPU of each plan; dashed: the accelerator's capacity",
            xLabel: xLabel(report), yLabel: "Memory per GPU (GiB)", categories: categories(report), segments: segments,
            markers: report.rows.map { $0.memoryCapacity / gib }, markerName: "GPU memory capacity", notes: notes(report))
        return ReportChart(fileName: "memory-breakdown.svg", caption: "Memory per GPU broken down (GiB)", svg: chart.svg())
    }

    static func categories(_ report: ScalingReport) -> [String] {
        report.kind == .compare ? report.rows.map(\.cluster) : report.rows.map { ReportFormat.integer(Double($0.gpus)) }
    }

    static func xLabel(_ report: ScalingReport) -> String { report.kind == .compare ? "Cluster" : "GPUs" }

    static func notes(_ report: ScalingReport) -> [String?] { report.rows.map { $0.estimate == nil ? "no plan" : nil } }
}

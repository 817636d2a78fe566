import Foundation

/// The main table of a report as header and cell strings, shared by the Markdown and HTML
/// renderers so both show the same figures.
struct ReportTable {
    var headers: [String]
    /// Per column: right-aligned (numbers) or not.
    var numeric: [Bool]
    var rows: [[String]]
    /// Per row: the reason it has no layout, or nil.
    var failures: [String?]

    init(_ report: ScalingReport) {
        var columns: [(String, Bool, (ScalingRow) -> String)] = []
        let dash = "-"
        if report.kind == .compare {
            // One wrapping cell (the GPU count is in the title): the table fits 1,280 px.
            columns.append(("Cluster (accelerator)", false, { "\($0.cluster) (\($0.accelerator))" }))
        } else {
            columns.append(("GPUs", true, { ReportFormat.integer(Double($0.gpus)) }))
        }
        if report.mode == .weak {
            columns.append(("Global batch", true, { ReportFormat.integer(Double($0.globalBatch)) }))
        }
        columns.append(("Layout", false, { $0.estimate == nil ? "no layout" : $0.layoutText }))
        columns.append(("Step time (s)", true, { row in row.estimate.map { ReportFormat.number($0.stepTimeS) } ?? dash }))
        columns.append(("Tokens/s", true, { row in row.estimate.map { ReportFormat.compact($0.tokensPerS) } ?? dash }))
        columns.append(("TFLOP/s per GPU", true, { row in row.estimate.map { String(format: "%.0f", $0.tflopsPerGpu) } ?? dash }))
        columns.append(("MFU (%)", true, { row in row.estimate.map { ReportFormat.percent($0.mfu) } ?? dash }))
        if report.kind == .scaling {
            columns.append(("Scaling efficiency (%)", true, { row in row.scalingEfficiency.map(ReportFormat.percent) ?? dash }))
        } else {
            columns.append(("Speed-up (x)", true, { row in
                row.relativeThroughput.map { String(format: "%.2fx", $0) } ?? dash
            }))
        }
        columns.append(("Memory per GPU (GiB)", true, { row in
            row.estimate.map { String(format: "%.1f of %.0f", $0.memory.total / 1_073_741_824, row.memoryCapacity / 1_073_741_824) } ?? dash
        }))
        columns.append(("Exposed comm (% of step)", true, { row in row.exposedCommShare.map(ReportFormat.percent) ?? dash }))
        columns.append(("Time to train (days)", true, { row in row.timeToTrainS.map(ReportFormat.days) ?? dash }))
        columns.append(("GPU-hours (h)", true, { row in row.gpuHours.map(ReportFormat.compact) ?? dash }))
        columns.append(("Goodput (%)", true, { row in row.goodput.map(ReportFormat.percent) ?? dash }))
        columns.append(("Time to train with failures (days)", true, { row in
            row.timeToTrainWithFailuresS.map(ReportFormat.days) ?? dash
        }))
        if report.hasCost {
            if report.kind == .compare {
                columns.append(("Price per GPU-hour ($)", true, { row in row.pricePerGpuHour.map(ReportFormat.money) ?? dash }))
            }
            columns.append(("Cost ($)", true, { row in row.cost.map(ReportFormat.money) ?? dash }))
            columns.append(("Cost with failures ($)", true, { row in row.costWithFailures.map(ReportFormat.money) ?? dash }))
        }
        headers = columns.map(\.0)
        numeric = columns.map(\.1)
        rows = report.rows.map { row in columns.map { $0.2(row) } }
        failures = report.rows.map(\.reason)
    }

    /// Notes under the table: one per row without a layout.
    static func failureNotes(_ report: ScalingReport) -> [String] {
        report.rows.compactMap { row in
            row.reason.map { reason in
                report.kind == .compare ? "\(row.cluster): \(reason)" : "\(ReportFormat.integer(Double(row.gpus))) GPUs: \(reason)"
            }
        }
    }

    /// What the columns mean, with the sources of the definitions.
    static func definitions(_ report: ScalingReport) -> [String] {
        var notes = [
            "Step time, tokens/s and memory are Loom's estimates for the layout shown (memory: the most loaded GPU, "
                + "against the accelerator's nominal capacity in GiB; usable capacity is " + ReportFormat.percent(MemoryHeadroom.usableFraction) + " of it, see the memory notes).",
            "TFLOP/s per GPU counts model FLOPs only (no recomputation); MFU = model FLOPs / (step time x GPUs x peak "
                + "bf16 FLOP/s) (Chowdhery et al. 2022, PaLM, appendix B).",
        ]
        if report.kind == .scaling {
            let base = ReportFormat.integer(Double(report.baselineGpus ?? 0))
            notes.append("Scaling efficiency = (tokens/s per GPU) / (tokens/s per GPU at \(base) GPUs): 100% is linear "
                + "scaling from the smallest GPU count with a plan.")
        } else {
            notes.append("Speed-up = aggregate tokens/s relative to \(report.baselineCluster ?? "the first cluster with a plan").")
        }
        notes.append("Exposed comm = tensor, pipeline, data, context and expert-parallel communication not hidden "
            + "behind compute, as a share of the step time.")
        notes.append("Time to train = \(ReportFormat.tokens(report.trainTokens)) / tokens/s (\(report.trainTokensSource)); "
            + "GPU-hours = GPUs x time to train"
            + (report.hasCost ? "; cost ($, or the currency the price is in) = GPU-hours x the price per GPU-hour given with --price-per-gpu-hour." : "."))
        return notes
    }
}

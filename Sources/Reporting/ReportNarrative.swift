import CostModel
import Foundation

/// The prose of a report beyond the headline: why each point's layout differs from the previous
/// GPU count's, why a point scales superlinearly, which points run short of usable memory, and
/// a recommendation. Every sentence is computed from the rows' estimates.
public enum ReportNarrative {
    /// A point whose scaling efficiency falls below this is called out as the end of efficient
    /// scaling: a reporting convention (a fifth of the GPU-hours lost to scaling), not a
    /// cost-model constant.
    public static let efficiencyThreshold = 0.8

    /// The share of a plan's step time in `part`.
    static func share(_ part: (TimeBreakdown) -> Double, _ estimate: Estimate) -> Double {
        estimate.time.total > 0 ? part(estimate.time) / estimate.time.total : 0
    }

    static func exposedComm(_ t: TimeBreakdown) -> Double { t.tpComm + t.ppComm + t.dpComm + t.cpComm + t.epComm }

    /// The layout dimensions that differ: "TP 8 → 4, PP 16 → 8, ZeRO-1 → ZeRO-3".
    static func changes(from a: LayoutEcho, to b: LayoutEcho) -> [String] {
        var out: [String] = []
        for (name, x, y) in [("TP", a.tp, b.tp), ("PP", a.pp, b.pp), ("DP", a.dp, b.dp), ("CP", a.cp, b.cp),
                             ("EP", a.ep, b.ep), ("VPP", a.vpp, b.vpp), ("micro-batch", a.microBatch, b.microBatch)] where x != y {
            out.append("\(name) \(x) → \(y)")
        }
        if a.zero != b.zero { out.append("ZeRO-\(a.zero) → ZeRO-\(b.zero)") }
        if a.recompute != b.recompute { out.append("recompute \(a.recompute.rawValue) → \(b.recompute.rawValue)") }
        return out
    }

    /// One sentence per point after the first with a plan (scaling reports): what changed from
    /// the previous GPU count and the three quantities a layout trades: memory per GPU,
    /// exposed communication and the pipeline bubble.
    public static func layoutChanges(_ report: ScalingReport) -> [String] {
        guard report.kind == .scaling else { return [] }
        let planned = report.plannedRows
        return zip(planned, planned.dropFirst()).compactMap { previous, row in
            guard let a = previous.estimate, let b = row.estimate else { return nil }
            let head = "\(ReportFormat.integer(Double(previous.gpus))) → \(ReportFormat.integer(Double(row.gpus))) GPUs: "
            let changed = changes(from: a.layout, to: b.layout)
            let what = changed.isEmpty ? "same layout, only DP grows" : changed.joined(separator: ", ")
            let memory = "memory per GPU \(ReportFormat.gib(a.memory.total)) → \(ReportFormat.gib(b.memory.total))"
            let comm = "exposed communication \(ReportFormat.percent(share(exposedComm, a))) → \(ReportFormat.percent(share(exposedComm, b))) of the step"
            let bubble = "pipeline bubble \(ReportFormat.percent(share({ $0.bubble }, a))) → \(ReportFormat.percent(share({ $0.bubble }, b)))"
            let recompute = a.time.recompute > 0 || b.time.recompute > 0
                ? "; recomputation \(ReportFormat.percent(share({ $0.recompute }, a))) → \(ReportFormat.percent(share({ $0.recompute }, b)))" : ""
            let why = changed.isEmpty ? "" : " " + reasons(from: a, to: b)
            return head + what + " (\(memory); \(comm); \(bubble)\(recompute))." + why
        }
    }

    /// Why the planner's fastest layout moved: each clause only when its figure moved that way.
    static func reasons(from a: Estimate, to b: Estimate) -> String {
        let (x, y) = (a.layout, b.layout)
        var out: [String] = []
        if y.zero > x.zero {
            out.append("ZeRO-\(y.zero) shards the model states over the larger DP group, freeing memory")
        }
        if y.tp < x.tp && share({ $0.tpComm }, b) < share({ $0.tpComm }, a) {
            out.append("a smaller TP group exposes less TP communication")
        }
        if y.pp < x.pp && share({ $0.bubble }, b) < share({ $0.bubble }, a) { out.append("fewer pipeline stages shrink the bubble") }
        if y.vpp > x.vpp && share({ $0.bubble }, b) < share({ $0.bubble }, a) { out.append("more virtual stages shrink the bubble") }
        if y.tp * y.pp * y.cp > x.tp * x.pp * x.cp { out.append("a larger model-parallel group keeps each GPU's share of the model in memory") }
        if y.microBatch < x.microBatch { out.append("a smaller micro-batch fits the new split's activations") }
        if b.memory.total < a.memory.total * 0.98, out.isEmpty { out.append("it needs less memory per GPU") }
        if y.dp > x.dp && share(exposedComm, b) > share(exposedComm, a) + 0.005 {
            out.append("the larger DP group costs more exposed gradient communication")
        }
        return out.isEmpty ? "The planner took the fastest layout that fits." : "Why: " + out.joined(separator: "; ") + "."
    }

    /// Points above 100% scaling efficiency, each with the overheads that shrank against the
    /// baseline: per-GPU throughput can only beat linear when the baseline wasted a larger share
    /// of its step (bubble, recomputation forced by memory, exposed communication).
    public static func superlinear(_ report: ScalingReport) -> [String] {
        guard report.kind == .scaling, let base = report.plannedRows.first, let b = base.estimate else { return [] }
        return report.plannedRows.compactMap { row in
            guard let efficiency = row.scalingEfficiency, efficiency > 1.0005, let e = row.estimate else { return nil }
            var parts: [String] = []
            let overheads: [(String, (TimeBreakdown) -> Double)] = [
                ("pipeline bubble", { $0.bubble }), ("recomputation", { $0.recompute }),
                ("exposed communication", exposedComm), ("optimizer step", { $0.optimizer })]
            for (name, part) in overheads {
                let (x, y) = (share(part, b), share(part, e))
                if x - y > 0.005 { parts.append("\(name) \(ReportFormat.percent(x)) → \(ReportFormat.percent(y))") }
            }
            let reason = parts.isEmpty
                ? "the compute per token itself is faster (larger GEMMs or a different micro-batch)"
                : "the share of the step that does not compute fell: " + parts.joined(separator: ", ")
            return "\(ReportFormat.integer(Double(row.gpus))) GPUs scale at \(ReportFormat.percent(efficiency)) of linear "
                + "from \(ReportFormat.integer(Double(base.gpus))): " + reason
                + " (layouts \(base.layoutText) → \(row.layoutText))."
        }
    }

    /// Points whose plan comes within `MemoryHeadroom.warningMargin` of the accelerator's
    /// usable memory, or above it.
    public static func memoryWarnings(_ report: ScalingReport) -> [String] {
        report.rows.compactMap { row in
            guard let e = row.estimate, row.memoryCapacity > 0 else { return nil }
            let usable = MemoryHeadroom.usable(row.memoryCapacity)
            let label = report.kind == .compare ? row.cluster : "\(ReportFormat.integer(Double(row.gpus))) GPUs"
            let figures = "\(ReportFormat.gib(e.memory.total)) planned of \(ReportFormat.gib(row.memoryCapacity)) nominal, "
                + "\(ReportFormat.gib(usable)) usable"
            if e.memory.total > usable {
                return "\(label): \(figures): above the usable capacity; this plan will not fit on a real \(row.accelerator)."
            }
            if e.memory.total > usable * (1 - MemoryHeadroom.warningMargin) {
                return "\(label): \(figures): less than \(ReportFormat.percent(MemoryHeadroom.warningMargin)) headroom "
                    + "for allocator fragmentation and the CUDA context."
            }
            return nil
        }
    }

    /// Tokens/s per dollar per hour (with prices) or per GPU: what a GPU-hour buys.
    static func valueOf(_ row: ScalingRow) -> Double? {
        guard let e = row.estimate, row.gpus > 0 else { return nil }
        return e.tokensPerS / (Double(row.gpus) * (row.pricePerGpuHour ?? 1))
    }

    /// The recommendation: the best throughput per dollar (per GPU without prices), and where
    /// scaling efficiency first falls below `efficiencyThreshold`.
    public static func recommendation(_ report: ScalingReport) -> String {
        let planned = report.plannedRows
        guard let best = planned.max(by: { (valueOf($0) ?? 0) < (valueOf($1) ?? 0) }), let value = valueOf(best) else {
            return "No point has a layout that fits; nothing to recommend."
        }
        let label = report.kind == .compare ? "\(best.cluster) (\(ReportFormat.integer(Double(best.gpus))) GPUs)"
                                            : "\(ReportFormat.integer(Double(best.gpus))) GPUs"
        var sentences: [String] = []
        if best.pricePerGpuHour != nil {
            let tokensPerDollar = value * 3600
            sentences.append("Best throughput per dollar: \(label), \(ReportFormat.compact(tokensPerDollar)) tokens per $ "
                + "(\(best.layoutText))" + (best.cost.map { "; training costs $\(ReportFormat.money($0))" } ?? "") + ".")
        } else {
            sentences.append("Best throughput per GPU: \(label), \(ReportFormat.compact(value)) tokens/s per GPU "
                + "(\(best.layoutText)); give --price-per-gpu-hour to rank by cost.")
        }
        if report.kind == .scaling {
            if let drop = planned.first(where: { ($0.scalingEfficiency ?? 1) < efficiencyThreshold }) {
                sentences.append("Scaling efficiency falls below \(ReportFormat.percent(efficiencyThreshold)) at "
                    + "\(ReportFormat.integer(Double(drop.gpus))) GPUs (\(ReportFormat.percent(drop.scalingEfficiency ?? 0))): "
                    + "beyond it, more GPUs buy time to train at a rising cost per token.")
            } else if let last = planned.last {
                sentences.append("Scaling efficiency stays at or above \(ReportFormat.percent(efficiencyThreshold)) up to "
                    + "\(ReportFormat.integer(Double(last.gpus))) GPUs: the largest count trains fastest without wasting GPU-hours.")
            }
        }
        return sentences.joined(separator: " ")
    }

    /// The narrative sections both pages print under the table, each a title and its items;
    /// empty sections left out.
    public static func sections(_ report: ScalingReport) -> [(title: String, items: [String])] {
        let all: [(String, [String])] = [
            ("Memory headroom (usable \(ReportFormat.percent(MemoryHeadroom.usableFraction)) of nominal)", memoryWarnings(report)),
            ("Why the layout changes with the GPU count", layoutChanges(report)),
            ("Superlinear scaling", superlinear(report)),
        ]
        return all.filter { !$0.1.isEmpty }.map { (title: $0.0, items: $0.1) }
    }
}

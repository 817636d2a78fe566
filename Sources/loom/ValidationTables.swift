import Foundation
import Validation

/// The table form of `loom validate`: per source group, the refused runs by reason, step time
/// and peak memory where runs report them, and the overall figures.
struct ValidationTables {
    var report: ValidationReport
    var allRuns: Bool

    /// Ids listed per refusal reason before "...".
    static let idsPerReason = 8

    func render() -> String {
        var out: [String] = []
        if allRuns { out += [runsTable(), ""] }
        out += [groupsTable(), "", worstRuns()]
        if !report.refused.isEmpty { out += ["", refusals()] }
        if report.iteration.count > 0 { out += ["", iterationTable()] }
        if report.memory.count > 0 { out += ["", memoryTable()] }
        let total = report.runs.count + report.refused.count
        out.append("")
        out.append("predicted \(report.runs.count) of \(total) runs, refused \(report.refused.count)")
        out.append("tokens/s: " + Self.summary(ErrorSummary(errors: report.runs.map(\.error))))
        if report.iteration.count > 0 { out.append("step time: " + Self.summary(report.iteration)) }
        if report.memory.count > 0 { out.append("peak memory: " + Self.summary(report.memory)) }
        return out.joined(separator: "\n")
    }

    static func percent(_ value: Double) -> String { String(format: "%.1f%%", 100 * value) }
    static func signed(_ value: Double) -> String { String(format: "%+.1f%%", 100 * value) }

    static func summary(_ s: ErrorSummary) -> String {
        "\(s.count) runs, mean |error| \(percent(s.meanAbsError)), p90 \(percent(s.p90AbsError)), "
            + "max \(percent(s.maxAbsError)), mean error \(signed(s.meanError))"
    }

    func runsTable() -> String {
        var table = TextTable(["run", "framework", "reported tok/s", "predicted tok/s", "error", "MFU pred", "MFU rep"])
        for row in report.runs {
            table.add([row.id, row.framework, String(format: "%.0f", row.reportedTokensPerS),
                       String(format: "%.0f", row.predictedTokensPerS), Self.signed(row.error),
                       String(format: "%.3f", row.predictedMfu), row.reportedMfu.map { String(format: "%.3f", $0) } ?? "-"])
        }
        return table.render()
    }

    func groupsTable() -> String {
        var table = TextTable(["source (tokens/s)", "runs", "mean |err|", "p90 |err|", "max |err|", "mean err", "refused"])
        for group in report.groups {
            let s = group.tokensPerS
            let predicted = s.count > 0
            table.add([group.source, "\(s.count)", predicted ? Self.percent(s.meanAbsError) : "-",
                       predicted ? Self.percent(s.p90AbsError) : "-", predicted ? Self.percent(s.maxAbsError) : "-",
                       predicted ? Self.signed(s.meanError) : "-", "\(group.refused)"])
        }
        return table.render()
    }

    func worstRuns() -> String {
        var lines = ["worst runs per source:"]
        for group in report.groups where !group.worst.isEmpty {
            let worst = group.worst.map { "\($0.id) \(Self.signed($0.error))" }.joined(separator: ", ")
            lines.append("  \(group.source): \(worst)")
        }
        return lines.joined(separator: "\n")
    }

    func refusals() -> String {
        var byReason: [String: [String]] = [:]
        var order: [String] = []
        for run in report.refused {
            let reason = run.reasons.joined(separator: "; ")
            if byReason[reason] == nil { order.append(reason) }
            byReason[reason, default: []].append(run.id)
        }
        var lines = ["refused \(report.refused.count) runs:"]
        for reason in order {
            let ids = byReason[reason] ?? []
            let shown = ids.prefix(Self.idsPerReason).joined(separator: ", ")
            lines.append("  \(ids.count) x \(reason): \(shown)\(ids.count > Self.idsPerReason ? ", ..." : "")")
        }
        return lines.joined(separator: "\n")
    }

    func iterationTable() -> String {
        figureTable(["run (step time)", "reported s", "predicted s", "error"], format: "%.2f",
                    summary: \.iteration) { ($0.reportedIterationS, $0.predictedIterationS, $0.iterationError) }
    }

    func memoryTable() -> String {
        figureTable(["run (peak memory)", "measured GiB", "predicted GiB", "error"], format: "%.1f",
                    summary: \.memory) { ($0.reportedPeakMemoryGib, $0.predictedPeakMemoryGib, $0.memoryError) }
    }

    /// The runs that report a figure (reported, predicted, error), then one summary line per group.
    func figureTable(_ headers: [String], format: String, summary: KeyPath<ValidationReport.Group, ErrorSummary>,
                     figure: (ValidationReport.Row) -> (Double?, Double, Double?)) -> String {
        var table = TextTable(headers)
        for row in report.runs {
            let (reported, predicted, error) = figure(row)
            guard let reported, let error else { continue }
            table.add([row.id, String(format: format, reported), String(format: format, predicted), Self.signed(error)])
        }
        let groups = report.groups.filter { $0[keyPath: summary].count > 0 }
            .map { "  \($0.source): " + Self.summary($0[keyPath: summary]) }
        return ([table.render()] + groups).joined(separator: "\n")
    }
}

import Foundation
import Validation

/// `loom validate --runs Validation/finetune-runs.json` as a table: per case the predicted and
/// reported peak GPU memory (GiB, as the source measures it), the out-of-memory marks and the
/// tokens/s of the job, with the error summaries and what each mapping assumed.
enum FinetuneValidationTable {
    static func render(_ report: FinetuneValidationReport) -> String {
        func pct(_ e: Double?) -> String { e.map { String(format: "%+.1f%%", 100 * $0) } ?? "-" }
        func num(_ v: Double?, _ format: String) -> String { v.map { String(format: format, $0) } ?? "-" }
        func line(_ cells: [String]) -> String {
            let widths = [40, 9, 9, 8, 5, 9, 9, 8]
            return zip(cells, widths).enumerated().map { index, pair in
                let (text, width) = pair
                let pad = String(repeating: " ", count: max(width - text.count, 0))
                return index == 0 ? text + pad : pad + text
            }.joined(separator: " ")
        }
        var lines = [line(["case", "pred GiB", "rep GiB", "mem err", "fits", "pred t/s", "rep t/s", "t/s err"])]
        for r in report.rows {
            let reported = r.reportedOutOfMemory ? "OOM" : num(r.reportedPeakMemoryGib, "%.1f")
            let fits = r.predictedFits ? "yes" : "no"
            lines.append(line([r.id, num(r.predictedPeakMemoryGib, "%.1f"), reported, pct(r.memoryError), fits,
                               num(r.predictedTokensPerS, "%.0f"), num(r.reportedTokensPerS, "%.0f"), pct(r.tokensError)]))
        }
        lines.append("")
        lines.append(String(format: "peak memory: %d cases, mean |error| %.1f%%, max %.1f%%", report.memory.count,
                            100 * report.memory.meanAbsError, 100 * report.memory.maxAbsError))
        lines.append(String(format: "tokens/s:    %d cases, mean |error| %.1f%%, max %.1f%%", report.tokens.count,
                            100 * report.tokens.meanAbsError, 100 * report.tokens.maxAbsError))
        lines.append("out-of-memory cases predicted to fit: "
                     + (report.missedOutOfMemory.isEmpty ? "none" : report.missedOutOfMemory.joined(separator: ", ")))
        for refused in report.refused {
            lines.append("refused \(refused.id): " + refused.reasons.joined(separator: "; "))
        }
        lines.append("\nassumed:")
        for r in report.rows { lines.append("  \(r.id): " + r.assumed.joined(separator: "; ")) }
        return lines.joined(separator: "\n")
    }
}

import Foundation

/// The text output, laid out like nccl-tests' tables so that people and scripts that read those
/// can read these: `#` header lines, one row per size (size, count, type, redop, root, time,
/// algbw, busbw, #wrong), then the out-of-bounds verdict and the average bus bandwidth.
/// Unlike nccl-tests there is one set of columns (no in-place half) and the time is given as the
/// mean over ranks with the minimum and maximum beside it.
public enum ResultTable {
    /// The lines before the first row.
    public static func header(collective: any Collective, ranks: Int, environment: EnvironmentInfo,
                              policy: IterationPolicy) -> String {
        let hosts = environment.hosts == 1 ? "1 host" : "\(environment.hosts) hosts"
        let iterations = policy.iterations.map { "\($0)" } ?? "1000/100/20"
        let warmup = policy.warmup.map { "\($0)" } ?? "200/10/5"
        let scaled = policy.iterations == nil || policy.warmup == nil
        let loop = "iterations \(iterations) after warm-up \(warmup)"
            + (scaled ? " (by size, OSU: up to 8K / up to 16M / above)" : "")
        return """
            # loom-bench \(collective.name): \(collective.summary)
            # \(ranks) ranks on \(hosts) (\(environment.hosts > 1 ? "up to " : "")\(environment.ranksPerHost) per host: \(environment.hostNames.joined(separator: ", ")))
            # \(environment.mpiLibrary)
            # \(loop); every result checked
            #
            #\(columns(["size", "count", "type", "redop", "root", "time", "min", "max", "algbw", "busbw", "#wrong"]))
            #\(columns(["(B)", "(elements)", "", "", "", "(us)", "(us)", "(us)", "(GB/s)", "(GB/s)", ""]))
            """
    }

    /// One size.
    public static func row(_ result: SizeResult, collective: any Collective) -> String {
        " " + columns([
            "\(result.bytes)", "\(result.count)", result.dtype, collective.reduction?.rawValue ?? "none",
            "\(collective.root ?? -1)", fixed(result.timeMicroseconds.avg), fixed(result.timeMicroseconds.min),
            fixed(result.timeMicroseconds.max), fixed(result.algorithmBandwidth), fixed(result.busBandwidth),
            "\(result.wrong)",
        ])
    }

    /// The lines after the last row.
    public static func footer(_ results: [SizeResult]) -> String {
        let wrong = results.reduce(0) { $0 + $1.wrong }
        let average = results.isEmpty ? 0 : results.reduce(0) { $0 + $1.busBandwidth } / Double(results.count)
        return """
            # Out of bounds values : \(wrong) \(wrong == 0 ? "OK" : "FAILED")
            # Avg bus bandwidth    : \(String(format: "%.4g", average)) GB/s
            #
            """
    }

    /// Column widths: nccl-tests' 12 for numbers, narrower for names.
    private static let widths = [12, 12, 7, 6, 6, 11, 11, 11, 9, 9, 7]

    private static func columns(_ values: [String]) -> String {
        zip(values, widths).map { value, width in
            String(repeating: " ", count: max(0, width - value.count)) + value
        }.joined(separator: " ")
    }

    /// Two decimals, as nccl-tests prints times and bandwidths.
    private static func fixed(_ value: Double) -> String { String(format: "%.2f", value) }
}

import ArgumentParser
import CostModel
import Foundation

/// `--require-fit`: by default a layout that does not fit in memory is still estimated (to show
/// by how much it misses) with a one-line warning on stderr; with this flag the command exits
/// non-zero instead, for scripts.
struct RequireFitOption: ParsableArguments {
    @Flag(name: .customLong("require-fit"),
          help: "Exit non-zero (after printing the result) when the layout does not fit in GPU or host memory.")
    var requireFit = false

    /// Warns on stderr when `estimate` does not fit; with `--require-fit` the same line is the error
    /// (non-zero exit).
    func check(_ estimate: Estimate) throws {
        guard let line = FitCheck.warning(estimate) else { return }
        if requireFit { throw LayoutError(line + " (--require-fit)") }
        FileHandle.standardError.write(Data("loom: warning: \(line)\n".utf8))
    }
}

/// The one line that says a layout does not fit, or nil when it fits.
enum FitCheck {
    static func warning(_ e: Estimate) -> String? {
        let m = e.memory
        var parts: [String] = []
        if m.total > m.capacity {
            parts.append(String(format: "the layout does not fit: it needs %.1f GiB per GPU on stage %d (the most loaded) of %.1f GiB available",
                                m.total / gibibyte, m.mostLoadedStage, m.capacity / gibibyte))
        }
        if let host = e.hostMemory, !host.fits {
            parts.append(String(format: "host memory does not fit: it needs %.1f GiB per host of %@",
                                host.perHost / gibibyte,
                                host.capacity.map { String(format: "%.1f GiB available", $0 / gibibyte) }
                                    ?? "an amount the topology does not state (node.host_memory_gib)"))
        }
        return parts.isEmpty ? nil : parts.joined(separator: "; ")
    }
}

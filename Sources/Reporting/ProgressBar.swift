import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A one-line progress bar on stderr while a sweep runs, drawn only when stderr is a terminal
/// (so logs, pipes and tests see nothing): `[#########.........]  3/7  dgx-h100, 2048 GPUs`.
public struct ProgressBar: Sendable {
    public var enabled: Bool
    public var width: Int

    public init(enabled: Bool = ProgressBar.stderrIsTerminal, width: Int = 30) {
        self.enabled = enabled
        self.width = max(width, 5)
    }

    public static var stderrIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }

    /// The line for `done` of `total` points (no carriage return).
    public func line(done: Int, total: Int, label: String) -> String {
        let fraction = total > 0 ? min(max(Double(done) / Double(total), 0), 1) : 1
        let filled = Int((fraction * Double(width)).rounded(.down))
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        return "[\(bar)] \(done)/\(total)  \(label)"
    }

    /// Redraws the bar; at the end clears the line.
    public func update(done: Int, total: Int, label: String) {
        guard enabled else { return }
        let text: String
        if done >= total {
            text = "\r\u{1B}[2K"
        } else {
            text = "\r\u{1B}[2K" + line(done: done, total: total, label: "planning " + label)
        }
        FileHandle.standardError.write(Data(text.utf8))
    }
}

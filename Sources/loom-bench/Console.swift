import Foundation

/// Where loom-bench's text goes: results to stdout (rank 0 only, flushed line by line so a
/// table grows while mpirun forwards it), diagnostics to stderr as single lines.
enum Console {
    /// Writes `text` and a newline to stdout, then flushes.
    static func print(_ text: String) {
        FileHandle.standardOutput.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
    }

    /// Writes `loom-bench: error: <first line of message>` to stderr (ARCHITECTURE.md: one clear line).
    static func error(_ message: String) {
        let line = message.split(whereSeparator: \.isNewline).first.map(String.init) ?? message
        FileHandle.standardError.write(Data("loom-bench: error: \(line)\n".utf8))
    }

    /// Saves `text` to `path` atomically: written to a temporary file beside it, then renamed, so
    /// a reader never sees half a file.
    static func save(_ text: String, to path: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    /// Why `path` cannot be written, or nil: its directory must exist and be writable, and the
    /// path must not be a directory.
    static func unwritableReason(_ path: String) -> String? {
        let url = URL(fileURLWithPath: path)
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue {
            return "it is a directory"
        }
        let directory = url.deletingLastPathComponent().path
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            return "directory \(directory) does not exist"
        }
        guard FileManager.default.isWritableFile(atPath: directory) else { return "directory \(directory) is not writable" }
        return nil
    }
}

import Foundation

/// Limits every file reader checks before handing text to a parser (issue 14): the parsers
/// recurse once per nesting level (Yams' composer, `JSONSerialization`), so a file nested 5,000
/// deep overflows the stack, and YAML aliases let a few hundred bytes expand to billions of
/// nodes. Each limit is far above what a real input needs and far below what harms the process.
public enum InputLimits {
    /// Largest file read, in bytes (4 MiB). The largest inputs Loom reads are a few tens of KiB:
    /// the topology presets are under 4 KiB, `Validation/published-runs.json` 19 KiB, DeepSeek-V3's
    /// `config.json` 2 KiB, a loom-bench result of a 2^0..2^30 size sweep about 10 KiB.
    public static let maxFileBytes = 4 << 20

    /// Deepest nesting of mappings and lists (block indentation levels plus `[`/`{` levels).
    /// Model files and configs nest at most 3 deep, topologies 4 (`calibration` entries).
    public static let maxDepth = 64

    /// Most YAML nodes a document may stand for once its aliases are expanded. A topology with
    /// 100 calibration entries is about 1,200 nodes; a 9-level alias bomb is 10^9.
    public static let maxExpandedNodes = 100_000

    /// Reads the file at `path` after checking its size, so a huge file is refused before it is
    /// read. Returns nil when the file cannot be read (the caller words that error itself).
    public static func readFile(_ path: String) throws -> Data? {
        if let attributes = try? FileManager.default.attributesOfItem(atPath: path),
           let size = (attributes[.size] as? NSNumber)?.intValue, size > maxFileBytes {
            throw InputLimitError(tooLarge(size), file: path)
        }
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        // Read at most one byte past the limit: a file that grows (or a pipe) is still bounded.
        guard let data = try? handle.read(upToCount: maxFileBytes + 1) else { return Data() }
        try checkSize(data.count, file: path)
        return data
    }

    /// Size and nesting depth of a document's bytes, before any parser sees them.
    public static func check(_ data: Data, file: String) throws {
        try checkSize(data.count, file: file)
        let depth = NestingDepth.measure(data, stopAbove: maxDepth)
        if depth > maxDepth {
            throw InputLimitError("nested more than \(maxDepth) levels deep (mappings and lists), "
                                      + "the limit for an input file", file: file)
        }
    }

    /// `check` on text.
    public static func check(_ text: String, file: String) throws {
        try check(Data(text.utf8), file: file)
    }

    static func checkSize(_ size: Int, file: String) throws {
        if size > maxFileBytes { throw InputLimitError(tooLarge(size), file: file) }
    }

    private static func tooLarge(_ size: Int) -> String {
        "is \(size) bytes, more than the limit of \(maxFileBytes) bytes (\(maxFileBytes >> 20) MiB) for an input file"
    }
}

/// An input refused by `InputLimits`: one line naming the file and the limit.
public struct InputLimitError: Error, CustomStringConvertible, Sendable, Hashable {
    public var message: String
    public var file: String

    public init(_ message: String, file: String) {
        self.message = message
        self.file = file
    }

    public var description: String { "\(file): \(message)" }
}

import CostModel

/// Why a calibration or a comparison against measurements could not be made: a benchmark file
/// that is missing, empty, not JSON, or holds values no fit can use (one message size, zero or
/// negative times, failed correctness checks, mixed rank counts), or a request that does not add
/// up (link rates that do not match the files).
///
/// `description` is one line naming the file (when there is one), the value at fault and the
/// constraint it breaks; the CLI prints it as is (ARCHITECTURE.md: "one clear line on stderr").
public struct CalibrationError: Error, CustomStringConvertible, Sendable, Hashable {
    /// The problem, without the file prefix.
    public var message: String
    /// The benchmark file concerned, as the user named it.
    public var file: String?

    public init(_ message: String, file: String? = nil) {
        self.message = message
        self.file = file
    }

    public var description: String {
        let text = (file.map { "\($0): " } ?? "") + message
        return text.split(whereSeparator: \.isNewline).joined(separator: " ")
    }
}

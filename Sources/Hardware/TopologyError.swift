/// Why a topology could not be loaded, validated, found, or used for a GPU count.
///
/// `description` is one line that names the file (and line, when known), the field or value at
/// fault and the constraint it breaks, e.g.
/// `Topologies/x.yaml:12: accelerator.matmul_efficiency is 1.2, must be in (0, 1]`.
/// The CLI prints it as is (ARCHITECTURE.md: "one clear line on stderr").
public struct TopologyError: Error, CustomStringConvertible, Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        /// The file does not exist or cannot be read.
        case fileNotFound
        case unreadableFile
        /// YAML syntax error (Yams/libyaml), or an empty document.
        case malformedYAML
        /// A required key is absent (or has an empty value).
        case missingKey
        /// A key that the schema does not know (usually a typo).
        case unknownKey
        /// A value of the wrong shape (a string where a number belongs, a list for a mapping, ...).
        case wrongType
        /// A value outside its allowed range (zero, negative, NaN, efficiency > 1, ...).
        case invalidValue
        /// A name that no catalog directory holds.
        case unknownTopology
        /// A `--gpus` count this cluster cannot be split into.
        case invalidGPUCount
    }

    public var kind: Kind
    /// The problem, without the location prefix.
    public var message: String
    /// The file concerned, as the user named it or as it was found.
    public var file: String?
    /// 1-based line in `file`, when known.
    public var line: Int?
    /// Dotted key path of the offending field (`scale_out.bandwidth_gbps`), when there is one.
    public var field: String?

    public init(_ kind: Kind, _ message: String, file: String? = nil, line: Int? = nil, field: String? = nil) {
        self.kind = kind
        self.message = message
        self.file = file
        self.line = line
        self.field = field
    }

    public var description: String {
        var prefix = ""
        if let file {
            prefix = file
            if let line { prefix += ":\(line)" }
            prefix += ": "
        }
        // One line, whatever the message holds.
        let text = (prefix + message).split(whereSeparator: \.isNewline).joined(separator: " ")
        return text
    }

    /// The same error, located in `file` (and at `line` when the error has none yet).
    func located(file: String, line: Int?) -> TopologyError {
        var copy = self
        if copy.file == nil { copy.file = file }
        if copy.line == nil { copy.line = line }
        return copy
    }
}

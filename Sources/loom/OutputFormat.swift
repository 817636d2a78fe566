import ArgumentParser
import Foundation

/// `--format table|json`: a table for people, or exactly one JSON document on stdout.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    case table
    case json
}

/// The `--format` option every reporting command shares.
struct FormatOption: ParsableArguments {
    @Option(help: "Output format: table (for a terminal) or json (one JSON document on stdout).")
    var format: OutputFormat = .table
}

/// JSON as the public contracts spell it: snake_case keys, sorted, pretty.
enum JSONOutput {
    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return encoder
    }

    /// Prints one JSON document on stdout.
    static func print<T: Encodable>(_ value: T) throws {
        let data = try encoder().encode(value)
        FileHandle.standardOutput.write(data)
        FileHandle.standardOutput.write(Data("\n".utf8))
    }
}

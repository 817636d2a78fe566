import Foundation
import InputLimits
import Yams

/// Parses the text of a model file into a top-level mapping, turning syntax errors into one line
/// that names the file and the line (`config.json: malformed JSON at line 4, column 3: ...`).
enum ConfigDocument {
    static func parseJSON(_ data: Data, file: String) throws -> [String: ConfigValue] {
        try checkLimits { try InputLimits.check(data, file: file) }
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: data, options: [])
        } catch {
            throw malformedJSON(error, data: data, file: file)
        }
        guard case .object(let object) = ConfigValue(parsed) else {
            throw WorkloadError("\(file): expected a JSON object at the top level")
        }
        return object
    }

    static func parseYAML(_ text: String, file: String) throws -> [String: ConfigValue] {
        try checkLimits { try InputLimits.check(text, file: file) }
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            throw malformedYAML(error, file: file)
        }
        if let root { try checkLimits { try InputLimits.checkExpandedSize(root, file: file) } }
        guard let root, case .object(let object) = ConfigValue(node: root) else {
            throw WorkloadError("\(file): expected a YAML mapping of model fields at the top level")
        }
        return object
    }

    /// Runs an `InputLimits` check, its refusal as a `WorkloadError` (the same one line).
    static func checkLimits(_ check: () throws -> Void) throws {
        do {
            try check()
        } catch let error as InputLimitError {
            throw WorkloadError(error.description)
        }
    }

    /// Reads a model file with the size limit checked first; nil when it cannot be read.
    static func read(_ file: String) throws -> Data? {
        var data: Data?
        try checkLimits { data = try InputLimits.readFile(file) }
        return data
    }

    /// Foundation reports the failing byte offset only in its debug description ("... around
    /// character 27." or "... around line 4, column 3."); the line is counted from the offset.
    private static func malformedJSON(_ error: Error, data: Data, file: String) -> WorkloadError {
        let info = (error as NSError).userInfo
        let debug = (info[NSDebugDescriptionErrorKey] as? String) ?? "\(error)"
        var reason = debug
        if let range = debug.range(of: " around ") {
            reason = String(debug[..<range.lowerBound])
        }
        reason = reason.trimmingCharacters(in: CharacterSet(charactersIn: ". "))
        if reason.isEmpty { reason = "invalid JSON" }
        if let line = number(after: "line ", in: debug) {
            let column = number(after: "column ", in: debug).map { ", column \($0)" } ?? ""
            return WorkloadError("\(file): malformed JSON at line \(line)\(column): \(reason)")
        }
        let offset = (info["NSJSONSerializationErrorIndex"] as? Int) ?? number(after: "character ", in: debug)
        if let offset, offset >= 0 {
            let prefix = data.prefix(offset)
            let line = prefix.reduce(1) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
            let lineStart = prefix.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? data.startIndex
            let column = offset - (lineStart - data.startIndex) + 1
            return WorkloadError("\(file): malformed JSON at line \(line), column \(column): \(reason)")
        }
        return WorkloadError("\(file): malformed JSON: \(reason)")
    }

    private static func malformedYAML(_ error: Error, file: String) -> WorkloadError {
        guard let yamlError = error as? YamlError else {
            return WorkloadError("\(file): malformed YAML: \(error)")
        }
        switch yamlError {
        case .scanner(let context, let problem, let mark, _),
            .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let detail = [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
            return WorkloadError("\(file): malformed YAML at line \(mark.line), column \(mark.column): \(detail)")
        case .reader(let problem, let offset, _, let yaml):
            if let offset, offset >= 0 {
                let line = yaml.utf8.prefix(offset).reduce(1) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
                return WorkloadError("\(file): malformed YAML at line \(line): \(problem)")
            }
            return WorkloadError("\(file): malformed YAML: \(problem)")
        default:
            let line = "\(yamlError)".split(separator: "\n").first.map(String.init) ?? "unreadable"
            return WorkloadError("\(file): malformed YAML: \(line)")
        }
    }

    /// The decimal number right after `label` in `text`.
    private static func number(after label: String, in text: String) -> Int? {
        guard let range = text.range(of: label) else { return nil }
        let digits = text[range.upperBound...].prefix { $0.isNumber }
        return Int(digits)
    }
}

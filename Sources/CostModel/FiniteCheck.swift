import Foundation

/// The check at the output boundary (issue 14): no NaN or infinity reaches a printed result.
/// Inputs are range-checked where they are read (topology, model, layout), so a non-finite figure
/// here means a combination of valid inputs the formulas do not survive; it becomes one error
/// line naming the figure and the inputs instead of `"step_time_s": "nan"` with exit 0.
public enum FiniteCheck {
    /// Throws `NonFiniteResult` for the first non-finite number in `value` (an `Estimate`, a
    /// simulation report, any `Encodable` result). `what` names the result ("estimate"),
    /// `inputs` the inputs it was computed from (`--model x --cluster y`).
    public static func check<T: Encodable>(_ value: T, what: String, inputs: String) throws {
        let encoder = JSONEncoder()
        encoder.nonConformingFloatEncodingStrategy = .throw
        do {
            _ = try encoder.encode(value)
        } catch let EncodingError.invalidValue(number, context) {
            let path = context.codingPath.map { key in
                key.intValue.map { "[\($0)]" } ?? "." + snakeCase(key.stringValue)
            }.joined()
            let field = path.hasPrefix(".") ? String(path.dropFirst()) : path
            throw NonFiniteResult(what: what, field: field.isEmpty ? "a figure" : field,
                                  value: "\(number)", inputs: inputs)
        }
    }

    /// `stepTimeS` -> `step_time_s`, as the JSON output spells keys.
    static func snakeCase(_ key: String) -> String {
        var out = ""
        for character in key {
            if character.isUppercase {
                if !out.isEmpty { out += "_" }
                out += character.lowercased()
            } else {
                out.append(character)
            }
        }
        return out
    }
}

/// A result with a non-finite figure: one line naming the figure and the inputs.
public struct NonFiniteResult: Error, CustomStringConvertible, Sendable, Hashable {
    public var what: String
    public var field: String
    public var value: String
    public var inputs: String

    public var description: String {
        "the \(what)'s \(field) is \(value), not a finite number: the inputs (\(inputs)) hold values "
            + "outside what the cost model can compute; check the model and topology files"
    }
}

/// Typed access to the keys of a parsed model file, with one-line errors that name the file, the
/// key and (for Hugging Face configs) the model type:
/// `config.json: missing required key 'num_attention_heads' for model_type llama`.
struct ConfigReader {
    let values: [String: ConfigValue]
    /// The file as the user named it.
    let file: String
    /// Appended to "missing required key" errors, e.g. " for model_type llama"; may be empty.
    let context: String

    /// Whether `key` is present with a non-null value.
    func has(_ key: String) -> Bool {
        if let value = values[key], value != .null { return true }
        return false
    }

    /// The first of `keys` (a name and its aliases) present with a non-null value.
    private func lookup(_ keys: [String]) -> (key: String, value: ConfigValue)? {
        for key in keys {
            if let value = values[key], value != .null { return (key, value) }
        }
        return nil
    }

    func missing(_ key: String) -> WorkloadError {
        WorkloadError("\(file): missing required key '\(key)'\(context)")
    }

    func invalid(_ key: String, _ value: ConfigValue, expected: String) -> WorkloadError {
        WorkloadError("\(file): key '\(key)' must be \(expected), got \(value.display)")
    }

    /// A required integer under `keys[0]` or one of its aliases.
    func int(_ keys: String...) throws -> Int {
        guard let found = lookup(keys) else { throw missing(keys[0]) }
        return try integer(found.key, found.value)
    }

    /// An optional integer: nil when absent or null.
    func optionalInt(_ keys: String...) throws -> Int? {
        guard let found = lookup(keys) else { return nil }
        return try integer(found.key, found.value)
    }

    func int(_ key: String, default value: Int) throws -> Int {
        try optionalInt(key) ?? value
    }

    /// Integers may be written as whole reals (`4096.0`); NaN, fractions, out-of-range reals,
    /// strings (a quoted "4096" too) and booleans are errors. Every integer a model file holds is a
    /// size or a count, so a negative one is an error too (`shared_expert_intermediate_size: -1`
    /// would otherwise read as "no shared expert").
    private func integer(_ key: String, _ value: ConfigValue) throws -> Int {
        let number: Int
        switch value {
        case .int(let exact):
            number = exact
        case .double(let real):
            guard real.isFinite, real == real.rounded(), abs(real) < 9.0e18, let exact = Int(exactly: real) else {
                throw invalid(key, value, expected: "an integer")
            }
            number = exact
        default:
            throw invalid(key, value, expected: "an integer")
        }
        guard number >= 0 else { throw invalid(key, value, expected: "a non-negative integer (a size or a count)") }
        return number
    }

    func optionalBool(_ key: String) throws -> Bool? {
        guard let value = values[key], value != .null else { return nil }
        guard case .bool(let flag) = value else { throw invalid(key, value, expected: "true or false") }
        return flag
    }

    func bool(_ key: String, default value: Bool) throws -> Bool {
        try optionalBool(key) ?? value
    }

    func optionalString(_ key: String) throws -> String? {
        guard let value = values[key], value != .null else { return nil }
        guard case .string(let text) = value else { throw invalid(key, value, expected: "a string") }
        return text
    }

    /// A list of integers; empty when absent.
    func intList(_ key: String) throws -> [Int] {
        guard let value = values[key], value != .null else { return [] }
        guard case .array(let elements) = value else { throw invalid(key, value, expected: "a list of integers") }
        return try elements.map { try integer(key, $0) }
    }

    /// A list of strings; empty when absent (HF `layer_types`).
    func stringList(_ key: String) throws -> [String] {
        guard let value = values[key], value != .null else { return [] }
        guard case .array(let elements) = value else { throw invalid(key, value, expected: "a list of strings") }
        return try elements.map {
            guard case .string(let text) = $0 else { throw invalid(key, $0, expected: "a list of strings") }
            return text
        }
    }

    /// A nested mapping (Loom files: `moe:`, `mla:`, `details:`), read with the same file.
    func optionalObject(_ key: String) throws -> ConfigReader? {
        guard let value = values[key], value != .null else { return nil }
        guard case .object(let object) = value else { throw invalid(key, value, expected: "a mapping") }
        return ConfigReader(values: object, file: file, context: context)
    }

    /// A value that must be one of `choices` (case-insensitive), returned as spelled in `choices`.
    func choice(_ key: String, from choices: [String]) throws -> String? {
        guard let text = try optionalString(key) else { return nil }
        if let match = choices.first(where: { $0.lowercased() == text.lowercased() }) { return match }
        throw WorkloadError(
            "\(file): key '\(key)' must be one of \(choices.joined(separator: ", ")), got \"\(text)\"")
    }
}

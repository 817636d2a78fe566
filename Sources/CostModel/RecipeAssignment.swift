/// One recipe field set from text, as the command line gives it: by a field's own flag
/// (`--precision fp8`) or by the generic `--recipe precision=fp8`, which reaches every field of
/// `TrainingRecipe.fields` without a flag of its own (ARCHITECTURE.md, Adding a knob).
public struct RecipeAssignment: Sendable, Hashable {
    /// The field's key or flag (`flash_attention` or `flash-attention`).
    public var key: String
    public var value: String
    /// How the user wrote it, for error lines: `--precision fp8`, `--recipe precision=fp8`.
    public var source: String

    public init(key: String, value: String, source: String) {
        self.key = key
        self.value = value
        self.source = source
    }

    /// `key=value` as `--recipe` takes it.
    public init(recipeOption text: String) throws {
        let parts = text.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty else {
            throw LayoutError("--recipe \(text) is not key=value (for example --recipe precision=fp8)")
        }
        self.init(key: String(parts[0]), value: String(parts[1]), source: "--recipe \(text)")
    }
}

extension TrainingRecipe {
    /// The field a key names: its JSON key or its flag.
    public static func field(named name: String) -> RecipeField? {
        fields.first { $0.key == name || $0.flag == name }
    }

    /// Sets each assigned field in order. Refuses, with one line naming the value and the
    /// broken constraint: a key no field has, a value the field does not accept, and one field
    /// given two different values (by its flag and by `--recipe`, or twice).
    public mutating func apply(_ assignments: [RecipeAssignment]) throws {
        var given: [String: RecipeAssignment] = [:]
        for assignment in assignments {
            guard let field = Self.field(named: assignment.key) else {
                let keys = Self.fields.map(\.key).joined(separator: ", ")
                throw LayoutError("\(assignment.source): no recipe field \(assignment.key) (fields: \(keys))")
            }
            if let earlier = given[field.key], earlier.value != assignment.value {
                throw LayoutError("\(assignment.source) sets \(field.key), which \(earlier.source) already sets")
            }
            guard field.parse(&self, assignment.value) else {
                throw LayoutError("\(assignment.source): \(field.key) takes \(field.values.joined(separator: ", "))")
            }
            given[field.key] = assignment
        }
    }

    /// The help of `--recipe`: every field with the values it takes, from `fields`.
    public static var assignmentHelp: String {
        let list = fields.map { "\($0.key)=\($0.values.joined(separator: "|"))" }.joined(separator: "; ")
        return "Set any training-recipe field as key=value (repeatable; the key or its flag's name), the fields "
            + "having their own flags included: \(list)."
    }
}

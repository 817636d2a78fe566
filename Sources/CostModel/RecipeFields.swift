/// Every field of `TrainingRecipe`, described once: its key (the JSON key of the `recipe` echo
/// and the long flag of the CLI), its help, the values it accepts, how it reads and sets the
/// recipe, and whether the one-line summary of the tables names it. The JSON echo
/// (`RecipeEcho`), its decoding, the tables' summary line and the CLI's help texts are generated
/// from this list, so a new recipe knob is a stored property, one entry here, its CLI option
/// (ArgumentParser needs a declared property) and its formula (ARCHITECTURE.md, Adding a knob).
public struct RecipeField: Sendable {
    /// A field's value as the JSON echo and the command line carry it.
    public enum Value: Sendable, Hashable {
        case text(String)
        case flag(Bool)

        /// The value as a user types it (`true` / `false` for switches).
        public var text: String {
            switch self {
            case .text(let text): return text
            case .flag(let flag): return flag ? "true" : "false"
            }
        }
    }

    /// Snake-case key of the JSON echo and long flag of the CLI (`flash_attention` is
    /// `--flash-attention`).
    public let key: String
    public let help: String
    /// Accepted values, in the order `--help` lists them.
    public let values: [String]
    /// Named in the one-line summary of `estimate`, `simulate` and `plan` tables.
    public let inSummary: Bool
    /// The field's value with the framework's defaults resolved.
    public let resolvedValue: @Sendable (TrainingRecipe) -> Value
    /// Sets the field; false when the value is not one the field accepts.
    public let assign: @Sendable (inout TrainingRecipe, Value) -> Bool

    /// The long flag: the key with dashes.
    public var flag: String { key.replacingOccurrences(of: "_", with: "-") }

    /// A field holding one of an enumeration's raw values.
    static func choice<T: RawRepresentable & CaseIterable & Sendable>(
        _ key: String, _ keyPath: WritableKeyPath<TrainingRecipe, T> & Sendable, inSummary: Bool = false, help: String
    ) -> RecipeField where T.RawValue == String {
        RecipeField(key: key, help: help, values: T.allCases.map(\.rawValue), inSummary: inSummary,
                    resolvedValue: { .text($0[keyPath: keyPath].rawValue) },
                    assign: { recipe, value in
                        guard case .text(let text) = value, let parsed = T(rawValue: text) else { return false }
                        recipe[keyPath: keyPath] = parsed
                        return true
                    })
    }

    /// An on/off switch that is nil (the framework's default) until set.
    static func toggle(_ key: String, _ keyPath: WritableKeyPath<TrainingRecipe, Bool?> & Sendable,
                       resolved: KeyPath<TrainingRecipe, Bool> & Sendable, help: String) -> RecipeField {
        RecipeField(key: key, help: help, values: ["true", "false"], inSummary: false,
                    resolvedValue: { .flag($0[keyPath: resolved]) },
                    assign: { recipe, value in
                        switch value {
                        case .flag(let flag): recipe[keyPath: keyPath] = flag
                        case .text("true"): recipe[keyPath: keyPath] = true
                        case .text("false"): recipe[keyPath: keyPath] = false
                        case .text: return false
                        }
                        return true
                    })
    }
}

extension TrainingRecipe {
    /// The recipe's fields, in the order tables and `--help` show them.
    public static let fields: [RecipeField] = [
        .choice("framework", \.framework, inSummary: true,
                help: "Framework whose kernels, overlap behaviour and overheads to assume: megatron-lm, megatron-core, megatron-deepspeed, deepspeed, fsdp, torchtitan."),
        .choice("precision", \.precision, inSummary: true,
                help: "Numeric format: fp32, bf16 (default), fp16, fp8, mxfp8, nvfp4. Sets the bytes kept per weight, activation, gradient and master weight; GEMMs are timed at the bf16 peak for every format below fp32."),
        .choice("optimizer", \.optimizer, inSummary: true, help: "Optimizer state kept per parameter: adam, adam-8bit, sgd."),
        .choice("recompute", \.recompute,
                help: "Activation recomputation: none, selective (attention core) or full (whole layer)."),
        .toggle("flash_attention", \.flashAttention, resolved: \.effectiveFlashAttention,
                help: "Fused flash attention (no s x s scores in memory); default: the framework's (on except megatron-lm and megatron-deepspeed)."),
        .toggle("overlap_grad_reduce", \.overlapGradReduce, resolved: \.effectiveOverlapGradReduce,
                help: "Overlap the DP gradient reduction with the backward pass (true/false; default: the framework's)."),
        .toggle("overlap_param_gather", \.overlapParamGather, resolved: \.effectiveOverlapParamGather,
                help: "Overlap ZeRO/FSDP parameter all-gathers with compute (true/false)."),
        .toggle("overlap_tp_comm", \.overlapTPComm, resolved: \.effectiveOverlapTPComm,
                help: "Overlap TP collectives with the GEMMs (true/false)."),
    ]

    /// The field with this key, or nil.
    public static func field(_ key: String) -> RecipeField? { fields.first { $0.key == key } }

    /// The help text of the field with this key (the CLI's options read it).
    public static func help(_ key: String) -> String { field(key)?.help ?? "" }

    /// "megatron-core, bf16, adam": the fields the tables' first line names, resolved.
    public var summary: String {
        Self.fields.filter(\.inSummary).map { $0.resolvedValue(self).text }.joined(separator: ", ")
    }
}

/// A named model shipped with Loom (`loom models`), with where its numbers come from.
public struct ModelPreset: Sendable, Hashable {
    /// The name users type (`--model llama-3.1-8b`); also `model.name`.
    public var name: String
    /// Architecture family, e.g. `llama`, `megatron-gpt`, `deepseek-v3`.
    public var family: String
    /// Other accepted names (matched case-insensitively like `name`).
    public var aliases: [String]
    /// The paper or Hugging Face repository the architecture is taken from.
    public var source: String
    public var model: TransformerModel

    public init(family: String, aliases: [String] = [], source: String, model: TransformerModel) {
        self.name = model.name
        self.family = family
        self.aliases = aliases
        self.source = source
        self.model = model
    }
}

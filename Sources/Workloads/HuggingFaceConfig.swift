import Foundation

/// Reads a Hugging Face `config.json` into a `TransformerModel`, following what the
/// `transformers` modeling code builds for each `model_type` (which layers have biases, how many
/// norms a block has, tied output layer or not), so that parameter counts match
/// `model.num_parameters()` exactly. Unknown keys are ignored; keys that fix the shape are required;
/// flags default as in the `transformers` configuration class of that model type.
public enum HuggingFaceConfig {
    /// The `model_type` values Loom reads, and the reader of each.
    static let readers: [(type: String, read: @Sendable (ConfigReader, String) throws -> TransformerModel)] = [
        ("gpt2", gpt2), ("gpt_neox", gptNeoX), ("opt", opt), ("bloom", bloom), ("falcon", falcon), ("phi", phi),
        ("llama", llama), ("mistral", llama), ("phi3", phi3), ("mixtral", mixtral), ("qwen2", qwen2),
        ("qwen2_moe", qwen2MoE), ("qwen3", qwen3), ("qwen3_moe", qwen3MoE), ("gpt_oss", gptOss),
        ("nemotron", nemotron), ("gemma", gemma), ("gemma2", gemma2), ("deepseek_v3", deepseekV3),
        // Kimi K2 is DeepSeek-V3's architecture under its own model type (Moonshot AI,
        // Kimi-K2 docs/deploy_guidance.md: "model_type": "kimi_k2", DeepseekV3ForCausalLM).
        ("kimi_k2", deepseekV3),
        ("bert", bert), ("roberta", roberta), ("t5", t5), ("mt5", t5),
    ]

    /// Supported `model_type` values.
    public static var supportedModelTypes: [String] { readers.map(\.type) }

    /// Parses the JSON text of a `config.json`; `file` names it in errors (as the user wrote it).
    public static func model(json data: Data, file: String) throws -> TransformerModel {
        try model(from: ConfigDocument.parseJSON(data, file: file), file: file)
    }

    /// Builds the model from a parsed config; the model is named after `_name_or_path`, else the
    /// folder holding `config.json`, else the file.
    static func model(from values: [String: ConfigValue], file: String) throws -> TransformerModel {
        let plain = ConfigReader(values: values, file: file, context: "")
        guard let modelType = try plain.optionalString("model_type") else {
            throw plain.missing("model_type")
        }
        // Falcon checkpoints written before transformers 4.33 used their own model types.
        let canonical = ["RefinedWeb": "falcon", "RefinedWebModel": "falcon"][modelType] ?? modelType
        guard let reader = readers.first(where: { $0.type == canonical }) else {
            throw WorkloadError(
                "\(file): unsupported model_type '\(modelType)'; supported: "
                    + supportedModelTypes.joined(separator: ", "))
        }
        var config = ConfigReader(values: values, file: file, context: " for model_type \(modelType)")
        if modelType == "RefinedWeb", !config.has("new_decoder_architecture") {
            config = ConfigReader(values: values.merging(["new_decoder_architecture": .bool(true)]) { $1 },
                                  file: file, context: config.context)
        }
        return try reader.read(config, try modelName(config, file: file))
    }

    private static func modelName(_ config: ConfigReader, file: String) throws -> String {
        if let path = try? config.optionalString("_name_or_path"), !path.isEmpty,
           let last = path.split(separator: "/").last {
            return String(last)
        }
        let url = URL(fileURLWithPath: file)
        if url.lastPathComponent == "config.json" {
            let folder = url.deletingLastPathComponent().lastPathComponent
            if !folder.isEmpty && folder != "." && folder != "/" { return folder }
        }
        return url.deletingPathExtension().lastPathComponent
    }

    // MARK: - Helpers shared by the model types

    /// `head_dim` when given, else `hidden / heads`, which must then divide exactly.
    static func headDim(_ config: ConfigReader, hidden: Int, heads: Int, headsKey: String) throws -> Int {
        if let explicit = try config.optionalInt("head_dim") { return explicit }
        guard heads > 0, hidden % heads == 0 else {
            throw WorkloadError(
                "\(config.file): hidden size \(hidden) is not divisible by \(headsKey) \(heads)")
        }
        return hidden / heads
    }

    /// The MLP of a non-gated model from its activation name (`relu`, `relu2`, any GELU variant).
    static func plainMLP(_ activation: String?) -> MLPKind {
        switch activation?.lowercased() {
        case "relu": return .relu
        case "relu2", "squared_relu", "squared-relu": return .squaredRelu
        default: return .gelu
        }
    }

    /// The MLP of a gated model: GeGLU for GELU activations (Gemma), else SwiGLU (SiLU).
    static func gatedMLP(_ activation: String?) -> MLPKind {
        (activation?.lowercased().contains("gelu") ?? false) ? .geglu : .swiglu
    }
}

import NameMatching
import Foundation

/// The models Loom knows by name, and the resolution of a `--model` argument: a preset name, a
/// Hugging Face `config.json` (or a folder holding one), or a Loom YAML/JSON model file.
public enum ModelCatalog {
    /// Every preset, in the order `loom models` lists them.
    public static let presets: [ModelPreset] =
        gptPresets + megatronPresets + llamaPresets + otherPresets + qwen3Presets + openWeightMoEPresets
        + encoderPresets + scalingSuitePresets

    /// Preset names.
    public static var names: [String] { presets.map(\.name) }

    /// The preset called `name` or one of its aliases (case-insensitive), or nil.
    public static func entry(named name: String) -> ModelPreset? {
        let key = name.lowercased()
        return presets.first { $0.name.lowercased() == key || $0.aliases.contains { $0.lowercased() == key } }
    }

    /// The preset model called `name`; an unknown name throws an error suggesting the nearest ones:
    /// `unknown model 'llama-3-8b'; did you mean llama-3.1-8b, llama-2-7b?`.
    public static func preset(named name: String) throws -> TransformerModel {
        guard let entry = entry(named: name) else { throw unknownModel(name) }
        return entry.model
    }

    /// Resolves a `--model` argument: a preset name; else a path to a `.json` file (a Hugging
    /// Face config if it has `model_type`, else a Loom JSON model file), a `.yaml`/`.yml` Loom model
    /// file, or a folder holding `config.json`. The model returned has passed `validate()`; errors
    /// from a file start with its path.
    public static func load(_ spec: String) throws -> TransformerModel {
        if let entry = entry(named: spec) { return entry.model }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: spec, isDirectory: &isDirectory) else {
            if spec.contains("/") || [".json", ".yaml", ".yml"].contains(where: spec.lowercased().hasSuffix) {
                throw WorkloadError("\(spec): no such model file")
            }
            throw unknownModel(spec)
        }
        let file = isDirectory.boolValue ? (spec as NSString).appendingPathComponent("config.json") : spec
        let model = try loadFile(file)
        do {
            try model.validate()
        } catch let error as WorkloadError {
            throw error.prefixed(with: file)
        }
        return model
    }

    /// Reads a model file by its extension (not validated; `load` validates).
    static func loadFile(_ file: String) throws -> TransformerModel {
        guard let data = try ConfigDocument.read(file) else {
            throw WorkloadError("\(file): cannot read the file")
        }
        return try parse(data, file: file)
    }

    /// Parses the bytes of a model file named `file`, by its extension: `.json` (a Hugging Face
    /// config when it has `model_type`, else a Loom model file) or `.yaml`/`.yml` (not validated;
    /// `load` validates). The entry point of the model-file fuzz targets (Fuzz/).
    public static func parse(_ data: Data, file: String) throws -> TransformerModel {
        let url = URL(fileURLWithPath: file)
        let defaultName = url.deletingPathExtension().lastPathComponent
        switch url.pathExtension.lowercased() {
        case "json":
            let values = try ConfigDocument.parseJSON(data, file: file)
            if values["model_type"] != nil {
                return try HuggingFaceConfig.model(from: values, file: file)
            }
            return try LoomModelFile.model(from: values, file: file, defaultName: defaultName)
        case "yaml", "yml":
            guard let text = String(data: data, encoding: .utf8) else {
                throw WorkloadError("\(file): not UTF-8 text")
            }
            let values = try ConfigDocument.parseYAML(text, file: file)
            return try LoomModelFile.model(from: values, file: file, defaultName: defaultName)
        default:
            throw WorkloadError(
                "\(file): unsupported model file extension '.\(url.pathExtension)' (expected .json, .yaml or .yml)")
        }
    }

    /// `unknown model 'x'; did you mean a, b?` (or a pointer to `loom models` when nothing is close).
    static func unknownModel(_ name: String) -> WorkloadError {
        var spellings: [(match: String, name: String)] = []
        for preset in presets {
            spellings.append((preset.name, preset.name))
            spellings += preset.aliases.map { ($0, preset.name) }
        }
        let nearest = NameSuggestions.nearest(to: name, in: spellings, limit: 2)
        if nearest.isEmpty {
            return WorkloadError(
                "unknown model '\(name)'; not a preset (see 'loom models') nor a model file path")
        }
        return WorkloadError("unknown model '\(name)'; did you mean \(nearest.joined(separator: ", "))?")
    }
}

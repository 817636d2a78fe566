import NameMatching
import Foundation

/// Loom's own model file: the `TransformerModel` fields in snake_case, as YAML or JSON (see
/// Sources/Workloads/README.md). Unlike Hugging Face configs, an unknown key is an error (with the
/// nearest known key suggested), so a typo cannot silently fall back to a default.
public enum LoomModelFile {
    static let modelKeys = [
        "name", "family", "source", "description", "layers", "hidden", "heads", "kv_heads", "head_dim", "ffn",
        "mlp", "vocab", "max_seq", "seq", "tied_embeddings", "qkv_bias", "linear_bias", "norm", "position",
        "parallel_block", "moe", "mla", "details",
        "attention", "decoder_layers", "output_head", "sliding_window", "sliding_window_layers",
    ]
    static let moeKeys = [
        "experts", "experts_per_token", "top_k", "expert_ffn", "shared_experts", "shared_expert_ffn",
        "dense_layers", "layer_frequency", "router_bias", "shared_expert_gate",
    ]
    static let mlaKeys = ["q_lora_rank", "kv_lora_rank", "qk_nope_head_dim", "qk_rope_head_dim", "v_head_dim"]
    static let detailKeys = [
        "embedding_norm", "norms_per_block", "position_offset", "final_norm", "embedding_projection_dim", "mlp_bias",
        "token_types", "pooler", "relative_attention_buckets", "qk_norm", "v_norm", "attention_sinks",
        "yarn_factor", "clamped_glu", "output_bias",
    ]

    /// Builds a model from a parsed mapping, e.g. what `JSONSerialization` or Yams returns for a
    /// model file, or the `model` object of a runs file (`Validation/published-runs.json`).
    /// `file` names the source in errors; `defaultName` is used when the mapping has no `name`.
    public static func model(from object: [String: Any], file: String, defaultName: String) throws
        -> TransformerModel
    {
        try model(from: object.mapValues { ConfigValue($0) }, file: file, defaultName: defaultName)
    }

    static func model(from values: [String: ConfigValue], file: String, defaultName: String) throws
        -> TransformerModel
    {
        let c = ConfigReader(values: values, file: file, context: "")
        try rejectUnknownKeys(c, known: modelKeys, section: "")
        let moe = try c.optionalObject("moe").map(readMoE)
        let mla = try c.optionalObject("mla").map(readMLA)
        let details = try c.optionalObject("details").map(readDetails) ?? ArchitectureDetails()
        let mlpName = try c.choice("mlp", from: MLPKind.allCases.map(\.rawValue))
        guard let mlp = mlpName.flatMap({ MLPKind(rawValue: $0) }) else { throw c.missing("mlp") }
        let defaults = TransformerModel(name: "", layers: 1, hidden: 1, heads: 1, ffn: 1, mlp: mlp, vocab: 1, maxSeq: 1)
        let layers = try c.int("layers")
        // `sliding_window: w` windows every layer unless `sliding_window_layers` says how many.
        let window = try c.optionalInt("sliding_window").map {
            AttentionWindow(size: $0, layers: try c.int("sliding_window_layers", default: layers))
        }
        return TransformerModel(
            name: try c.optionalString("name") ?? defaultName,
            layers: layers, hidden: try c.int("hidden"), heads: try c.int("heads"),
            kvHeads: try c.optionalInt("kv_heads"), headDim: try c.optionalInt("head_dim"),
            ffn: try c.int("ffn"), mlp: mlp, vocab: try c.int("vocab"), maxSeq: try c.int("max_seq", "seq"),
            tiedEmbeddings: try c.bool("tied_embeddings", default: defaults.tiedEmbeddings),
            qkvBias: try c.bool("qkv_bias", default: defaults.qkvBias),
            linearBias: try c.bool("linear_bias", default: defaults.linearBias),
            norm: try c.choice("norm", from: NormKind.allCases.map(\.rawValue)).flatMap { NormKind(rawValue: $0) }
                ?? defaults.norm,
            position: try c.choice("position", from: PositionEmbedding.allCases.map(\.rawValue))
                .flatMap { PositionEmbedding(rawValue: $0) } ?? defaults.position,
            parallelBlock: try c.bool("parallel_block", default: defaults.parallelBlock),
            moe: moe, mla: mla,
            attention: try c.choice("attention", from: AttentionMask.allCases.map(\.rawValue))
                .flatMap { AttentionMask(rawValue: $0) } ?? defaults.attention,
            decoder: try c.optionalInt("decoder_layers").map { DecoderStack(layers: $0) },
            outputHead: try c.choice("output_head", from: OutputHead.allCases.map(\.rawValue))
                .flatMap { OutputHead(rawValue: $0) } ?? defaults.outputHead,
            details: details, attentionWindow: window)
    }

    private static func readMoE(_ c: ConfigReader) throws -> MoEConfig {
        try rejectUnknownKeys(c, known: moeKeys, section: "moe.")
        return MoEConfig(
            experts: try c.int("experts"), expertsPerToken: try c.int("experts_per_token", "top_k"),
            expertFFN: try c.int("expert_ffn"), sharedExperts: try c.int("shared_experts", default: 0),
            sharedExpertFFN: try c.optionalInt("shared_expert_ffn"),
            denseLayers: try c.int("dense_layers", default: 0), layerFrequency: try c.int("layer_frequency", default: 1),
            routerBias: try c.bool("router_bias", default: false),
            sharedExpertGate: try c.bool("shared_expert_gate", default: false))
    }

    private static func readMLA(_ c: ConfigReader) throws -> MLAConfig {
        try rejectUnknownKeys(c, known: mlaKeys, section: "mla.")
        return MLAConfig(
            qLoraRank: try c.int("q_lora_rank", default: 0), kvLoraRank: try c.int("kv_lora_rank"),
            qkNopeHeadDim: try c.int("qk_nope_head_dim"), qkRopeHeadDim: try c.int("qk_rope_head_dim"),
            vHeadDim: try c.int("v_head_dim"))
    }

    private static func readDetails(_ c: ConfigReader) throws -> ArchitectureDetails {
        try rejectUnknownKeys(c, known: detailKeys, section: "details.")
        let defaults = ArchitectureDetails()
        return ArchitectureDetails(
            embeddingNorm: try c.bool("embedding_norm", default: defaults.embeddingNorm),
            normsPerBlock: try c.int("norms_per_block", default: defaults.normsPerBlock),
            positionOffset: try c.int("position_offset", default: defaults.positionOffset),
            finalNorm: try c.bool("final_norm", default: defaults.finalNorm),
            embeddingProjectionDim: try c.int("embedding_projection_dim", default: defaults.embeddingProjectionDim),
            mlpBias: try c.optionalBool("mlp_bias"),
            tokenTypes: try c.int("token_types", default: defaults.tokenTypes),
            pooler: try c.bool("pooler", default: defaults.pooler),
            relativeAttentionBuckets: try c.int("relative_attention_buckets", default: defaults.relativeAttentionBuckets),
            qkNorm: try c.bool("qk_norm", default: defaults.qkNorm),
            valueNorm: try c.bool("v_norm", default: defaults.valueNorm),
            attentionSinks: try c.bool("attention_sinks", default: defaults.attentionSinks),
            yarnFactor: try c.optionalInt("yarn_factor"),
            clampedGLU: try c.bool("clamped_glu", default: defaults.clampedGLU),
            outputBias: try c.bool("output_bias", default: defaults.outputBias))
    }

    private static func rejectUnknownKeys(_ c: ConfigReader, known: [String], section: String) throws {
        for key in c.values.keys.sorted() where !known.contains(key) {
            let nearest = NameSuggestions.nearest(to: key, in: known.map { ($0, $0) }, limit: 1)
            let hint = nearest.first.map { "; did you mean \(section)\($0)?" } ?? ""
            throw WorkloadError("\(c.file): unknown key '\(section)\(key)'\(hint)")
        }
    }
}

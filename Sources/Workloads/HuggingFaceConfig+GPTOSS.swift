/// `config.json` reader for OpenAI's gpt-oss (model type gpt_oss), and the sliding-window and
/// top-k keys the newer MoE configs share.
extension HuggingFaceConfig {
    /// HF `GptOssForCausalLM` (modeling_gpt_oss.py): attention with `head_dim` (default 64) and
    /// `attention_bias` (default true) on Q, K, V and output, a learned sink logit per head
    /// (`sinks`); every layer MoE: `num_local_experts` experts of width `intermediate_size`, each a
    /// clamped SwiGLU whose fused gate/up `h x 2f` and down `f x h` projections always have biases
    /// (`gate_up_proj_bias`, `down_proj_bias`), a router `h x E` with a bias, top-`num_experts_per_tok`
    /// (the original checkpoint's `experts_per_token` is accepted too); RMSNorm, untied.
    /// `sliding_window` (default 128) on the layers `layer_types` marks "sliding_attention"
    /// (default: the even-indexed ones, every other layer); YaRN's `rope_scaling.factor`
    /// (`yarnFactor`); the experts' inputs clamped unless `swiglu_limit` is null (HF default 7.0). OpenAI 2025, gpt-oss-120b & gpt-oss-20b model card, section 2.1.
    static func gptOss(_ c: ConfigReader, name: String) throws -> TransformerModel {
        let shape = try LlamaShape(c, maxSeqDefault: 131072, tiedDefault: false, headDimDefault: 64)
        let attentionBias = try c.bool("attention_bias", default: true)
        let experts = try c.int("num_local_experts", "num_experts")
        let window = try slidingWindow(c, layers: shape.layers, enabled: true, defaultSize: 128,
                                       defaultWindowedLayers: (shape.layers + 1) / 2)
        let moe = MoEConfig(
            experts: experts, expertsPerToken: try expertsPerToken(c, experts: experts, expertsKey: "num_local_experts"),
            expertFFN: shape.ffn, routerBias: true)
        var model = shape.model(name, mlp: .swiglu, qkvBias: attentionBias, linearBias: attentionBias, mlpBias: true,
                                moe: moe, sinks: true, window: window)
        model.details.yarnFactor = try yarnFactor(c)
        model.details.clampedGLU = c.values["swiglu_limit"] != .null
        return model
    }

    /// YaRN's whole `rope_scaling.factor` (`rope_type` or `type` "yarn") when the config takes
    /// YaRN's default attention factor: no `mscale`, `mscale_all_dim` or `attention_factor`
    /// (`ArchitectureDetails.yarnFactor`); nil otherwise, or for a fractional factor.
    static func yarnFactor(_ c: ConfigReader) throws -> Int? {
        guard let scaling = try c.optionalObject("rope_scaling") else { return nil }
        let type = try scaling.optionalString("rope_type") ?? scaling.optionalString("type")
        guard type?.lowercased() == "yarn",
              !["mscale", "mscale_all_dim", "attention_factor"].contains(where: scaling.has) else { return nil }
        return (try? scaling.optionalInt("factor")) ?? nil
    }

    /// Top-k of an MoE config: `num_experts_per_tok` (or gpt-oss's `experts_per_token`; both must
    /// agree when both are given), at most the number of experts (read under `expertsKey`).
    static func expertsPerToken(_ c: ConfigReader, experts: Int, expertsKey: String) throws -> Int {
        let topK = try c.int("num_experts_per_tok", "experts_per_token")
        if let other = try c.optionalInt("experts_per_token"), other != topK {
            throw WorkloadError("\(c.file): num_experts_per_tok \(topK) and experts_per_token \(other) differ")
        }
        guard topK <= experts else {
            throw WorkloadError("\(c.file): num_experts_per_tok \(topK) exceeds \(expertsKey) \(experts)")
        }
        return topK
    }

    /// The sliding-window layers of a config: `sliding_window` keys (`defaultSize` when the key is
    /// absent, none when it is null) on the layers `layer_types` marks "sliding_attention", or on
    /// `defaultWindowedLayers` of them without `layer_types` (or when `layerTypes` is false: the
    /// model ignores them); nil when disabled, null, or on no layer.
    static func slidingWindow(_ c: ConfigReader, layers: Int, enabled: Bool, defaultSize: Int,
                              defaultWindowedLayers: Int, layerTypes: Bool = true) throws -> AttentionWindow? {
        guard enabled, c.values["sliding_window"] != .null else { return nil }
        let size = try c.int("sliding_window", default: defaultSize)
        var windowed = defaultWindowedLayers
        let types = layerTypes ? try c.stringList("layer_types") : []
        if !types.isEmpty {
            guard types.count == layers else {
                throw WorkloadError(
                    "\(c.file): layer_types has \(types.count) entries for num_hidden_layers \(layers)")
            }
            if let other = types.first(where: { $0 != "sliding_attention" && $0 != "full_attention" }) {
                throw WorkloadError(
                    "\(c.file): layer_types entry '\(other)' must be sliding_attention or full_attention")
            }
            windowed = types.filter { $0 == "sliding_attention" }.count
        }
        guard windowed > 0 else { return nil }
        guard size > 0 else { throw WorkloadError("\(c.file): sliding_window must be a positive integer, got 0") }
        return AttentionWindow(size: size, layers: windowed)
    }
}

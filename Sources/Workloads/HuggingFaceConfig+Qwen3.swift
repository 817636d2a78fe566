/// `config.json` readers for Qwen3 (model types qwen3 and qwen3_moe).
extension HuggingFaceConfig {
    /// HF `Qwen3ForCausalLM` (modular_qwen3.py): Llama's attention with `attention_bias` on Q, K,
    /// V and output (default false), an RMSNorm over `head_dim` on the queries and one on the keys
    /// (`q_norm`, `k_norm`), `head_dim` (default 128) independent of `hidden_size / heads`, a
    /// bias-free SwiGLU MLP, untied by default. `sliding_window` applies only with
    /// `use_sliding_window`, on the layers `layer_types` marks (default: from `max_window_layers` on).
    static func qwen3(_ c: ConfigReader, name: String) throws -> TransformerModel {
        let shape = try LlamaShape(c, maxSeqDefault: 32768, tiedDefault: false, headDimDefault: 128)
        let attentionBias = try c.bool("attention_bias", default: false)
        let firstWindowed = min(try c.int("max_window_layers", default: 28), shape.layers)
        let window = try slidingWindow(
            c, layers: shape.layers, enabled: try c.bool("use_sliding_window", default: false), defaultSize: 4096,
            defaultWindowedLayers: shape.layers - firstWindowed)
        return shape.model(name, mlp: gatedMLP(shape.activation), qkvBias: attentionBias, linearBias: attentionBias,
                           mlpBias: false, qkNorm: true, window: window)
    }

    /// HF `Qwen3MoeForCausalLM` (modular_qwen3_moe.py): Qwen3's attention (q/k norms); MoE layers
    /// as in Qwen2-MoE (`decoder_sparse_step`, `mlp_only_layers`) with `num_experts` SwiGLU experts
    /// of `moe_intermediate_size`, top-`num_experts_per_tok`, a bias-free `h x E` router and no
    /// shared expert; dense layers use `intermediate_size`. `Qwen3MoeAttention` drops `layer_types`:
    /// with `use_sliding_window` the window is on every layer.
    static func qwen3MoE(_ c: ConfigReader, name: String) throws -> TransformerModel {
        let shape = try LlamaShape(c, maxSeqDefault: 32768, tiedDefault: false, headDimDefault: 128)
        let attentionBias = try c.bool("attention_bias", default: false)
        let experts = try c.int("num_experts")
        let (dense, step) = try qwenSparseLayers(c)
        let window = try slidingWindow(
            c, layers: shape.layers, enabled: try c.bool("use_sliding_window", default: false), defaultSize: 4096,
            defaultWindowedLayers: shape.layers, layerTypes: false)
        let moe = experts > 0
            ? MoEConfig(experts: experts, expertsPerToken: try expertsPerToken(c, experts: experts, expertsKey: "num_experts"),
                        expertFFN: try c.int("moe_intermediate_size"), denseLayers: dense, layerFrequency: step)
            : nil
        return shape.model(name, mlp: gatedMLP(shape.activation), qkvBias: attentionBias, linearBias: attentionBias,
                           mlpBias: false, moe: moe, qkNorm: true, window: window)
    }
}

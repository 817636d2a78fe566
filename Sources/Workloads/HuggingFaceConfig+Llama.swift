/// `config.json` readers for Llama-style model types (RMSNorm or LayerNorm, rotary, GQA):
/// llama, mistral, mixtral, qwen2, qwen2_moe, nemotron, gemma.
extension HuggingFaceConfig {
    /// The fields every Llama-style config shares (also read by the Qwen3 and GPT-OSS readers).
    struct LlamaShape {
        var layers: Int
        var hidden: Int
        var heads: Int
        var kvHeads: Int
        var headDim: Int
        var ffn: Int
        var vocab: Int
        var maxSeq: Int
        var tied: Bool
        var activation: String?

        init(_ c: ConfigReader, maxSeqDefault: Int, tiedDefault: Bool, headDimDefault: Int? = nil) throws {
            hidden = try c.int("hidden_size")
            heads = try c.int("num_attention_heads")
            layers = try c.int("num_hidden_layers")
            kvHeads = try c.optionalInt("num_key_value_heads") ?? heads
            if let fixed = headDimDefault, !c.has("head_dim") {
                headDim = fixed
            } else {
                headDim = try HuggingFaceConfig.headDim(c, hidden: hidden, heads: heads, headsKey: "num_attention_heads")
            }
            ffn = try c.int("intermediate_size")
            vocab = try c.int("vocab_size")
            maxSeq = try c.int("max_position_embeddings", default: maxSeqDefault)
            tied = try c.bool("tie_word_embeddings", default: tiedDefault)
            activation = try c.optionalString("hidden_act") ?? c.optionalString("hidden_activation")
        }

        /// The model; `qkNorm` and `sinks` set the attention's extra vectors (Qwen3, GPT-OSS).
        func model(_ name: String, mlp: MLPKind, norm: NormKind = .rmsnorm, qkvBias: Bool, linearBias: Bool,
                   mlpBias: Bool? = nil, moe: MoEConfig? = nil, qkNorm: Bool = false, sinks: Bool = false,
                   window: AttentionWindow? = nil) -> TransformerModel {
            TransformerModel(
                name: name, layers: layers, hidden: hidden, heads: heads, kvHeads: kvHeads, headDim: headDim,
                ffn: ffn, mlp: mlp, vocab: vocab, maxSeq: maxSeq, tiedEmbeddings: tied, qkvBias: qkvBias,
                linearBias: linearBias, norm: norm, position: .rotary, moe: moe,
                details: .init(mlpBias: mlpBias == linearBias ? nil : mlpBias, qkNorm: qkNorm, attentionSinks: sinks),
                attentionWindow: window)
        }
    }

    /// HF `LlamaForCausalLM` and `MistralForCausalLM`: `attention_bias` on Q, K, V and output,
    /// `mlp_bias` on the MLP (both default false), untied by default.
    static func llama(_ c: ConfigReader, name: String) throws -> TransformerModel {
        let shape = try LlamaShape(c, maxSeqDefault: 2048, tiedDefault: false)
        let attentionBias = try c.bool("attention_bias", default: false)
        return shape.model(name, mlp: gatedMLP(shape.activation), qkvBias: attentionBias,
                           linearBias: attentionBias, mlpBias: try c.bool("mlp_bias", default: false))
    }

    /// HF `Phi3ForCausalLM` (Phi-3 and Phi-3.5 mini, Phi-4): the Llama layout with Q, K and V fused
    /// into one `qkv_proj` and gate and up into `gate_up_proj` (the same weights, counted alike),
    /// no biases, untied, a 4,096-token context by default.
    static func phi3(_ c: ConfigReader, name: String) throws -> TransformerModel {
        let shape = try LlamaShape(c, maxSeqDefault: 4096, tiedDefault: false)
        return shape.model(name, mlp: gatedMLP(shape.activation), qkvBias: false, linearBias: false)
    }

    /// HF `MixtralForCausalLM`: every layer's MLP is `num_local_experts` SwiGLU experts of
    /// `intermediate_size`, top-`num_experts_per_tok`, router without bias.
    static func mixtral(_ c: ConfigReader, name: String) throws -> TransformerModel {
        let shape = try LlamaShape(c, maxSeqDefault: 4096 * 32, tiedDefault: false)
        let moe = MoEConfig(experts: try c.int("num_local_experts"), expertsPerToken: try c.int("num_experts_per_tok"),
                            expertFFN: shape.ffn)
        return shape.model(name, mlp: gatedMLP(shape.activation), qkvBias: false, linearBias: false, moe: moe)
    }

    /// HF `Qwen2ForCausalLM`: biases on Q, K and V only (always), untied by default.
    static func qwen2(_ c: ConfigReader, name: String) throws -> TransformerModel {
        let shape = try LlamaShape(c, maxSeqDefault: 32768, tiedDefault: false)
        return shape.model(name, mlp: gatedMLP(shape.activation), qkvBias: true, linearBias: false)
    }

    /// HF `Qwen2MoeForCausalLM`: MoE layers where `(i + 1) % decoder_sparse_step == 0` and i is not in
    /// `mlp_only_layers` (supported when those are the first layers); one shared expert of
    /// `shared_expert_intermediate_size` with an `h x 1` sigmoid gate; Q, K, V biases.
    static func qwen2MoE(_ c: ConfigReader, name: String) throws -> TransformerModel {
        let shape = try LlamaShape(c, maxSeqDefault: 32768, tiedDefault: false)
        let experts = try c.int("num_experts")
        let (denseOnly, step) = try qwenSparseLayers(c)
        let shared = try c.int("shared_expert_intermediate_size", default: 0)
        guard experts > 0 else {
            return shape.model(name, mlp: gatedMLP(shape.activation), qkvBias: true, linearBias: false)
        }
        let moe = MoEConfig(
            experts: experts, expertsPerToken: try c.int("num_experts_per_tok"),
            expertFFN: try c.int("moe_intermediate_size"), sharedExperts: shared > 0 ? 1 : 0,
            sharedExpertFFN: shared, denseLayers: denseOnly, layerFrequency: step,
            sharedExpertGate: shared > 0)
        return shape.model(name, mlp: gatedMLP(shape.activation), qkvBias: true, linearBias: false, moe: moe)
    }

    /// Which layers of a Qwen2-MoE / Qwen3-MoE config are sparse: `(i + 1) % decoder_sparse_step == 0`
    /// and i not in `mlp_only_layers`; read as (the first dense layers, the step), so
    /// `mlp_only_layers` is supported when it lists the first layers with a step of 1.
    static func qwenSparseLayers(_ c: ConfigReader) throws -> (dense: Int, step: Int) {
        let step = try c.int("decoder_sparse_step", default: 1)
        let denseOnly = try c.intList("mlp_only_layers").sorted()
        guard denseOnly == Array(0..<denseOnly.count), denseOnly.isEmpty || step == 1 else {
            throw WorkloadError(
                "\(c.file): mlp_only_layers \(denseOnly) is supported only as the first layers with decoder_sparse_step 1")
        }
        return (denseOnly.count, step)
    }

    /// HF `NemotronForCausalLM`: up/down MLP with squared ReLU (no gate), LayerNorm1P (a LayerNorm
    /// with bias), `attention_bias` and `mlp_bias` default false, untied.
    static func nemotron(_ c: ConfigReader, name: String) throws -> TransformerModel {
        let shape = try LlamaShape(c, maxSeqDefault: 4096, tiedDefault: false)
        let attentionBias = try c.bool("attention_bias", default: false)
        return shape.model(name, mlp: plainMLP(shape.activation ?? "relu2"), norm: .layernorm,
                           qkvBias: attentionBias, linearBias: attentionBias,
                           mlpBias: try c.bool("mlp_bias", default: false))
    }

    /// HF `GemmaForCausalLM`: GeGLU, `head_dim` (default 256), tied by default, RMSNorm.
    static func gemma(_ c: ConfigReader, name: String) throws -> TransformerModel {
        let shape = try LlamaShape(c, maxSeqDefault: 8192, tiedDefault: true, headDimDefault: 256)
        let attentionBias = try c.bool("attention_bias", default: false)
        return shape.model(name, mlp: .geglu, qkvBias: attentionBias, linearBias: attentionBias)
    }

    /// Gemma 2 (HF `Gemma2ForCausalLM`; Gemma Team 2024, Gemma 2): Gemma's shape with four norms
    /// per block (pre- and post-norm around attention and the MLP) and the local window
    /// (`sliding_window`, 4,096) on every other layer, or on the layers `layer_types` names.
    static func gemma2(_ c: ConfigReader, name: String) throws -> TransformerModel {
        var model = try gemma(c, name: name)
        model.details.normsPerBlock = 4
        model.attentionWindow = try slidingWindow(c, layers: model.layers, enabled: true, defaultSize: 4096,
                                                  defaultWindowedLayers: model.layers / 2)
        return model
    }
}

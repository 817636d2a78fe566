/// `config.json` readers for GPT-style model types: gpt2, gpt_neox, opt, bloom, falcon, phi.
extension HuggingFaceConfig {
    /// HF `GPT2LMHeadModel`: Conv1D layers all with biases, LayerNorm, learned positions, output
    /// layer tied to the embedding; `n_inner` null means 4h.
    static func gpt2(_ c: ConfigReader, name: String) throws -> TransformerModel {
        let hidden = try c.int("n_embd", "hidden_size")
        let heads = try c.int("n_head", "num_attention_heads")
        return TransformerModel(
            name: name, layers: try c.int("n_layer", "num_hidden_layers"), hidden: hidden, heads: heads,
            headDim: try headDim(c, hidden: hidden, heads: heads, headsKey: "n_head"),
            ffn: try c.optionalInt("n_inner") ?? Saturating.multiply(4, hidden),
            mlp: plainMLP(try c.optionalString("activation_function")),
            vocab: try c.int("vocab_size"), maxSeq: try c.int("n_positions", default: 1024),
            tiedEmbeddings: try c.bool("tie_word_embeddings", default: true), qkvBias: true, linearBias: true,
            norm: .layernorm, position: .learned)
    }

    /// HF `GPTNeoXForCausalLM`: fused QKV and dense with `attention_bias` (default true), MLP
    /// always biased, two LayerNorms per block even with the parallel residual, rotary, untied.
    static func gptNeoX(_ c: ConfigReader, name: String) throws -> TransformerModel {
        let hidden = try c.int("hidden_size")
        let heads = try c.int("num_attention_heads")
        let attentionBias = try c.bool("attention_bias", default: true)
        return TransformerModel(
            name: name, layers: try c.int("num_hidden_layers"), hidden: hidden, heads: heads,
            headDim: try headDim(c, hidden: hidden, heads: heads, headsKey: "num_attention_heads"),
            ffn: try c.int("intermediate_size"), mlp: plainMLP(try c.optionalString("hidden_act")),
            vocab: try c.int("vocab_size"), maxSeq: try c.int("max_position_embeddings", default: 2048),
            tiedEmbeddings: try c.bool("tie_word_embeddings", default: false),
            qkvBias: attentionBias, linearBias: attentionBias, norm: .layernorm, position: .rotary,
            parallelBlock: try c.bool("use_parallel_residual", default: true),
            details: .init(mlpBias: attentionBias ? nil : true))
    }

    /// HF `OPTForCausalLM`: learned positions with an offset of 2, ReLU, biases (`enable_bias`),
    /// tied output layer; `word_embed_proj_dim` below hidden adds `project_in`/`project_out`
    /// (OPT-350m); post-LN models (`do_layer_norm_before` false) have no final LayerNorm.
    static func opt(_ c: ConfigReader, name: String) throws -> TransformerModel {
        let hidden = try c.int("hidden_size")
        let heads = try c.int("num_attention_heads")
        let projection = try c.int("word_embed_proj_dim", default: hidden)
        let bias = try c.bool("enable_bias", default: true)
        let affine = try c.bool("layer_norm_elementwise_affine", default: true)
        let preNorm = try c.bool("do_layer_norm_before", default: true)
        let removeFinal = try c.bool("_remove_final_layer_norm", default: false)
        return TransformerModel(
            name: name, layers: try c.int("num_hidden_layers"), hidden: hidden, heads: heads,
            headDim: try headDim(c, hidden: hidden, heads: heads, headsKey: "num_attention_heads"),
            ffn: try c.int("ffn_dim"), mlp: plainMLP(try c.optionalString("activation_function") ?? "relu"),
            vocab: try c.int("vocab_size"), maxSeq: try c.int("max_position_embeddings", default: 2048),
            tiedEmbeddings: try c.bool("tie_word_embeddings", default: true), qkvBias: bias, linearBias: bias,
            norm: .layernorm, position: .learned,
            details: .init(normsPerBlock: affine ? 2 : 0, positionOffset: 2,
                           finalNorm: affine && preNorm && !removeFinal,
                           embeddingProjectionDim: projection == hidden ? 0 : projection))
    }

    /// HF `BloomForCausalLM`: ALiBi, a LayerNorm after the embedding, 4h GELU MLP, biases, tied.
    /// BLOOM configs carry no context length; `seq_length` if present, else 2048 (BigScience 2022).
    static func bloom(_ c: ConfigReader, name: String) throws -> TransformerModel {
        let hidden = try c.int("hidden_size", "n_embed")
        let heads = try c.int("n_head", "num_attention_heads")
        return TransformerModel(
            name: name, layers: try c.int("n_layer", "num_hidden_layers"), hidden: hidden, heads: heads,
            headDim: try headDim(c, hidden: hidden, heads: heads, headsKey: "n_head"),
            ffn: Saturating.multiply(4, hidden), mlp: .gelu, vocab: try c.int("vocab_size"),
            maxSeq: try c.int("seq_length", default: 2048),
            tiedEmbeddings: try c.bool("tie_word_embeddings", default: true), qkvBias: true, linearBias: true,
            norm: .layernorm, position: .alibi, details: .init(embeddingNorm: true))
    }

    /// HF `FalconForCausalLM`. KV heads: `num_kv_heads` with `new_decoder_architecture`, else 1 with
    /// `multi_query` (default true), else all heads. Norms per block: 2 when not `parallel_attn`, or
    /// with `num_ln_in_parallel_attn` 2 (the default of the new architecture); else 1. `bias`
    /// (default false) applies to every linear layer; LayerNorms always have one. Tied output layer.
    static func falcon(_ c: ConfigReader, name: String) throws -> TransformerModel {
        let hidden = try c.int("hidden_size", "n_embed")
        let heads = try c.int("num_attention_heads", "n_head")
        let newArchitecture = try c.bool("new_decoder_architecture", default: false)
        let multiQuery = try c.bool("multi_query", default: true)
        let parallel = try c.bool("parallel_attn", default: true)
        let kvHeads = newArchitecture
            ? (try c.optionalInt("num_kv_heads", "n_head_kv") ?? heads)
            : (multiQuery ? 1 : heads)
        let parallelNorms = try c.optionalInt("num_ln_in_parallel_attn") ?? (newArchitecture ? 2 : 1)
        let bias = try c.bool("bias", default: false)
        return TransformerModel(
            name: name, layers: try c.int("num_hidden_layers", "n_layer"), hidden: hidden, heads: heads,
            kvHeads: kvHeads, headDim: try headDim(c, hidden: hidden, heads: heads, headsKey: "num_attention_heads"),
            ffn: try c.int("ffn_hidden_size", default: Saturating.multiply(4, hidden)), mlp: .gelu,
            vocab: try c.int("vocab_size"),
            maxSeq: try c.int("max_position_embeddings", default: 2048),
            tiedEmbeddings: try c.bool("tie_word_embeddings", default: true), qkvBias: bias, linearBias: bias,
            norm: .layernorm, position: try c.bool("alibi", default: false) ? .alibi : .rotary,
            parallelBlock: parallel || newArchitecture,
            details: .init(normsPerBlock: !parallel || parallelNorms == 2 ? 2 : 1))
    }

    /// HF `PhiForCausalLM` (phi-1, phi-1.5, phi-2): one LayerNorm per block feeding attention and
    /// MLP in parallel, Q/K/V and `dense` with biases, `fc1`/`fc2` with biases, partial rotary,
    /// a final LayerNorm, and an untied `lm_head` with a bias. `qk_layernorm` (default false) adds
    /// per-head LayerNorms Loom does not count, so it is refused.
    static func phi(_ c: ConfigReader, name: String) throws -> TransformerModel {
        let hidden = try c.int("hidden_size")
        let heads = try c.int("num_attention_heads")
        if try c.bool("qk_layernorm", default: false) {
            throw WorkloadError("\(c.file): qk_layernorm true is not supported for model_type phi (per-head LayerNorms are not modelled)")
        }
        return TransformerModel(
            name: name, layers: try c.int("num_hidden_layers"), hidden: hidden, heads: heads,
            kvHeads: try c.optionalInt("num_key_value_heads") ?? heads,
            headDim: try headDim(c, hidden: hidden, heads: heads, headsKey: "num_attention_heads"),
            ffn: try c.int("intermediate_size"), mlp: plainMLP(try c.optionalString("hidden_act")),
            vocab: try c.int("vocab_size"), maxSeq: try c.int("max_position_embeddings", default: 2048),
            tiedEmbeddings: try c.bool("tie_word_embeddings", default: false), qkvBias: true, linearBias: true,
            norm: .layernorm, position: .rotary, parallelBlock: true,
            details: .init(normsPerBlock: 1, outputBias: true))
    }
}

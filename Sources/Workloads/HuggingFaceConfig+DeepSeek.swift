/// `config.json` reader for DeepSeek-V3 (model_type deepseek_v3).
extension HuggingFaceConfig {
    /// HF `DeepseekV3ForCausalLM`: multi-head latent attention (`q_lora_rank` null means queries
    /// are projected directly), the first `first_k_dense_replace` layers dense with
    /// `intermediate_size`, the rest MoE with `n_routed_experts` experts of `moe_intermediate_size`,
    /// top-`num_experts_per_tok`, `n_shared_experts` shared ones, and a router bias
    /// (`e_score_correction_bias`) with `topk_method` noaux_tc. The multi-token-prediction layers
    /// (`num_nextn_predict_layers`) are not part of the main model and are not counted
    /// (DeepSeek-AI 2024, DeepSeek-V3 Technical Report, section 2.2: 671B main + 14B MTP).
    static func deepseekV3(_ c: ConfigReader, name: String) throws -> TransformerModel {
        let hidden = try c.int("hidden_size")
        let heads = try c.int("num_attention_heads")
        let mla = MLAConfig(
            qLoraRank: try c.optionalInt("q_lora_rank") ?? 0, kvLoraRank: try c.int("kv_lora_rank"),
            qkNopeHeadDim: try c.int("qk_nope_head_dim"), qkRopeHeadDim: try c.int("qk_rope_head_dim"),
            vHeadDim: try c.int("v_head_dim"))
        let frequency = try c.int("moe_layer_freq", default: 1)
        guard frequency == 1 else {
            throw WorkloadError("\(c.file): moe_layer_freq \(frequency) is not supported (only 1)")
        }
        let topkMethod = try c.optionalString("topk_method") ?? "noaux_tc"
        let moe = MoEConfig(
            experts: try c.int("n_routed_experts"), expertsPerToken: try c.int("num_experts_per_tok"),
            expertFFN: try c.int("moe_intermediate_size"), sharedExperts: try c.int("n_shared_experts", default: 1),
            denseLayers: try c.int("first_k_dense_replace", default: 0), routerBias: topkMethod == "noaux_tc")
        let attentionBias = try c.bool("attention_bias", default: false)
        return TransformerModel(
            name: name, layers: try c.int("num_hidden_layers"), hidden: hidden, heads: heads,
            kvHeads: try c.optionalInt("num_key_value_heads") ?? heads,
            headDim: Saturating.add(mla.qkNopeHeadDim, mla.qkRopeHeadDim),
            ffn: try c.int("intermediate_size"), mlp: gatedMLP(try c.optionalString("hidden_act")),
            vocab: try c.int("vocab_size"), maxSeq: try c.int("max_position_embeddings", default: 4096),
            tiedEmbeddings: try c.bool("tie_word_embeddings", default: false), qkvBias: attentionBias,
            linearBias: attentionBias, norm: .rmsnorm, position: .rotary, moe: moe, mla: mla)
    }
}

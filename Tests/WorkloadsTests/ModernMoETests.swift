import Foundation
import Testing
@testable import Workloads

/// Qwen3 (dense and MoE), gpt-oss and Kimi K2: presets counted by hand from their config.json,
/// against the figures their model cards publish, and the Hugging Face readers of their configs.
@Suite struct ModernMoETests {
    /// Qwen3 attention with h wide, a query and k KV heads of 128, untied: Q and O `h x 128a`,
    /// K and V `h x 128k`, the per-head q_norm and k_norm (2 x 128), no bias (HF `Qwen3Attention`).
    static func qwen3Attention(h: Int, a: Int, k: Int) -> Int { 2 * h * 128 * a + 2 * h * 128 * k + 2 * 128 }

    /// Qwen3 dense: L x (attention + SwiGLU 3 h f + 2 norms) + embedding and lm_head V h each + final norm.
    @Test(arguments: [
        // (preset, L, h, a, k, f, model card "Number of Parameters" / "Non-Embedding" in billions)
        ("qwen3-8b", 36, 4096, 32, 8, 12288, 8.2, 6.95),
        ("qwen3-32b", 64, 5120, 64, 8, 25600, 32.8, 31.2),
    ])
    func qwen3Dense(name: String, l: Int, h: Int, a: Int, k: Int, f: Int, billions: Double, nonEmbedding: Double)
        throws
    {
        let count = try ModelCatalog.preset(named: name).parameterCount
        let vocab = 151_936
        let total = l * (Self.qwen3Attention(h: h, a: a, k: k) + 3 * h * f + 2 * h) + 2 * vocab * h + h
        #expect(count.total == total)
        #expect(count.active == total)
        // Qwen3-8B: 8,190,735,360; Qwen3-32B: 32,762,123,264. The cards give one decimal (8.2B,
        // 32.8B), and "non-embedding" without both V x h tables (6.95B, 31.2B): +-half a unit.
        #expect(abs(Double(total) / 1e9 - billions) <= 0.05)
        let decimals = name == "qwen3-8b" ? 0.005 : 0.05
        #expect(abs(Double(total - 2 * vocab * h) / 1e9 - nonEmbedding) <= decimals)
    }

    /// Qwen3 MoE: every layer MoE with 128 experts of width e (3 h e each), top 8, router h x 128
    /// without bias, no shared expert.
    @Test(arguments: [
        // (preset, L, h, a, k, e, card total B, card activated B, card non-embedding B)
        ("qwen3-30b-a3b", 48, 2048, 32, 4, 768, 30.5, 3.3, 29.9),
        ("qwen3-235b-a22b", 94, 4096, 64, 4, 1536, 235.0, 22.0, 234.0),
    ])
    func qwen3MoE(name: String, l: Int, h: Int, a: Int, k: Int, e: Int, billions: Double, activated: Double,
                  nonEmbedding: Double) throws {
        let count = try ModelCatalog.preset(named: name).parameterCount
        let vocab = 151_936
        let expert = 3 * h * e
        func layer(_ experts: Int) -> Int { Self.qwen3Attention(h: h, a: a, k: k) + experts * expert + h * 128 + 2 * h }
        let tables = 2 * vocab * h
        #expect(count.total == l * layer(128) + tables + h)
        #expect(count.active == l * layer(8) + tables + h)
        // 30,532,122,624 / 3,353,032,704 and 235,093,634,560 / 22,190,763,520. Qwen's figures
        // are truncated, not rounded: 3.353B is "3.3B" (the 235B's 22.19B is "22B"), so the test
        // truncates to the card's precision (0.1B below 100B, 1B above).
        let unit = billions < 100 ? 0.1 : 1.0
        func truncated(_ value: Int) -> Double { (Double(value) / 1e9 / unit + 1e-9).rounded(.down) * unit }
        #expect(abs(truncated(count.total) - billions) < 1e-9)
        #expect(abs(truncated(count.active) - activated) < 1e-9)
        // Non-embedding (both V x h tables out): 29.91B and 233.85B, rounded to 29.9B and 234B.
        #expect(abs(Double(count.total - tables) / 1e9 - nonEmbedding) <= unit / 2)
    }

    /// gpt-oss (OpenAI 2025 model card, Table 1: 116.83B total / 5.13B active for 120b, 20.91B /
    /// 3.61B for 20b; active counts the unembedding but not the embedding lookup). Per layer:
    /// attention Q, O `2880 x 4096`, K, V `2880 x 512`, their biases 4096 + 512 + 512 + 2880,
    /// 64 sinks; each expert gate/up `2880 x 5760` + bias 5760, down `2880 x 2880` + bias 2880;
    /// router `2880 x E` + E; 2 norms of 2880.
    @Test(arguments: [("gpt-oss-120b", 36, 128, 116.83, 5.13), ("gpt-oss-20b", 24, 32, 20.91, 3.61)])
    func gptOss(name: String, layers: Int, experts: Int, billions: Double, activeBillions: Double) throws {
        let count = try ModelCatalog.preset(named: name).parameterCount
        let h = 2880, vocab = 201_088
        let attention = 2 * h * 4096 + 2 * h * 512 + (4096 + 512 + 512 + h) + 64
        let expert = h * 2 * h + 2 * h + h * h + h
        func layer(_ used: Int) -> Int { attention + used * expert + h * experts + experts + 2 * h }
        #expect(count.total == layers * layer(experts) + 2 * vocab * h + h)
        #expect(count.active == layers * layer(4) + 2 * vocab * h + h)
        // 116,829,156,672 / 5,132,849,472 and 20,914,757,184 / 3,608,307,264: to the card's 0.01B.
        #expect(abs(Double(count.total) / 1e9 - billions) <= 0.005)
        #expect(abs(Double(count.activeNonEmbedding) / 1e9 - activeBillions) <= 0.005)
    }

    /// Kimi K2: DeepSeek-V3's layer with 64 heads, 384 routed experts + 1 shared of 2048, top 8,
    /// one dense layer, vocabulary 163,840. The model card's "1 trillion total parameters, 32
    /// billion activated" (the activated without the embedding table, as DeepSeek counts) are
    /// met: 1,026,408,232,448 and 31,687,095,808. The Kimi K2 report's "1.04T" is not: the 61
    /// layers of the released config give 1.026T (an extra MoE layer of 17.06B, like DeepSeek's
    /// multi-token-prediction module, would give 1.043T; the config has num_nextn_predict_layers 0).
    @Test func kimiK2() throws {
        let count = try ModelCatalog.preset(named: "kimi-k2").parameterCount
        let h = 7168, heads = 64, vocab = 163_840
        let attention = h * 1536 + 1536 + 1536 * heads * (128 + 64)
            + h * (512 + 64) + 512 + 512 * heads * (128 + 128) + heads * 128 * h
        let expert = 3 * h * 2048
        func moe(_ used: Int) -> Int { attention + 2 * h + used * expert + expert + 384 * h + 384 }
        let dense = attention + 2 * h + 3 * h * 18432
        #expect(count.total == dense + 60 * moe(384) + 2 * vocab * h + h)
        #expect(count.active == dense + 60 * moe(8) + 2 * vocab * h + h)
        #expect((Double(count.total) / 1e12).rounded() == 1)
        #expect((Double(count.activeNonEmbedding) / 1e9).rounded() == 32)
        #expect(count.denseLayers == 1 && count.moeLayers == 60)
    }

    // MARK: - Hugging Face configs

    /// gpt-oss-20b's `layer_types` alternate sliding and full attention: 12 of 24 layers windowed.
    @Test func gptOssLayerTypes() throws {
        let model = try ModelCatalog.load(try Fixtures.path("huggingface/gpt-oss-20b.json"))
        #expect(model.attentionWindow == AttentionWindow(size: 128, layers: 12))
        #expect(model.details.attentionSinks && !model.details.qkNorm)
        #expect(model.moe?.routerBias == true && model.moe?.expertsPerToken == 4)
    }

    /// gpt-oss's `rope_scaling` is YaRN with factor 32 and no mscale: the cosines and sines scaled
    /// by 0.1 ln 32 + 1 = 1.34657 (YaRN's default attention factor), as in the preset.
    @Test func gptOssYaRNFactor() throws {
        let model = try ModelCatalog.load(try Fixtures.path("huggingface/gpt-oss-20b.json"))
        #expect(model.details.yarnFactor == 32)
        #expect(abs(model.details.ropeAttentionFactor - 1.346574) < 1e-6)
        #expect(try ModelCatalog.preset(named: "gpt-oss-120b").details.yarnFactor == 32)
        #expect(try ModelCatalog.preset(named: "qwen3-30b-a3b").details.ropeAttentionFactor == 1)
    }

    /// gpt-oss clamps its experts' SwiGLU inputs (`swiglu_limit` 7.0 in the config, HF's default);
    /// Qwen3's experts do not.
    @Test func gptOssClampsItsGLU() throws {
        #expect(try ModelCatalog.load(try Fixtures.path("huggingface/gpt-oss-20b.json")).details.clampedGLU)
        #expect(try ModelCatalog.preset(named: "gpt-oss-120b").details.clampedGLU)
        #expect(try !ModelCatalog.preset(named: "qwen3-30b-a3b").details.clampedGLU)
    }

    /// Sliding-window FLOPs, gpt-oss-20b at 4096 tokens: per key 2 x 64 heads x (64 + 64) = 16,384
    /// FLOPs. Unmasked: 12 full layers x 4096 keys + 12 windowed x 128 = 50,688 keys. Causal: 12 x
    /// 2048 + 12 x (128 - 128^2 / (2 x 4096)) = 24,576 + 12 x 126 = 26,088. At 100 tokens (shorter
    /// than the window) every layer is full: 24 x 100, causal 24 x 50.
    @Test func slidingWindowAttentionFLOPs() throws {
        let model = try ModelCatalog.preset(named: "gpt-oss-20b")
        #expect(model.flops(seq: 4096).attention == 16384 * 50688)
        #expect(model.flops(seq: 4096, causal: true).attention == 16384 * 26088)
        #expect(model.flops(seq: 100).attention == 16384 * 2400)
        #expect(model.flops(seq: 100, causal: true).attention == 16384 * 1200)
        var full = model
        full.attentionWindow = nil
        #expect(full.flops(seq: 4096).attention == 16384 * 24 * 4096)
    }

    /// A Loom model file sets the window with `sliding_window` (and how many layers).
    @Test func loomFileSlidingWindow() throws {
        let path = try Fixtures.loomYAML(["sliding_window": "16", "sliding_window_layers": "1",
                                          "details": "{qk_norm: true, attention_sinks: true}"])
        let model = try ModelCatalog.load(path)
        #expect(model.attentionWindow == AttentionWindow(size: 16, layers: 1))
        // Width 64 with 4 heads of 16, no biases: the q/k norms' 2 x 16 scales and 4 sink logits.
        #expect(model.attentionWeights.vectors == 2 * 16 + 4)
        // `v_norm` adds the value norm's 16 scales (MaxText @76bd53b0 `value_norm`).
        let valueNorm = try Fixtures.loomYAML(["details": "{qk_norm: true, v_norm: true}"])
        let normed = try ModelCatalog.load(valueNorm)
        #expect(normed.details.valueNorm && normed.attentionWeights.vectors == 3 * 16)
        let tooMany = try Fixtures.loomYAML(["sliding_window": "16", "sliding_window_layers": "3"])
        #expect(Fixtures.error { _ = try ModelCatalog.load(tooMany) }
            == "\(tooMany): sliding_window_layers must be between 0 and layers 2, got 3")
    }

    // MARK: - Bad configs: one line naming the key and the rule

    static let qwen3MoEBase = [
        "model_type": "\"qwen3_moe\"", "hidden_size": "64", "num_attention_heads": "4", "num_key_value_heads": "2",
        "head_dim": "32", "num_hidden_layers": "2", "intermediate_size": "128", "vocab_size": "100",
        "num_experts": "8", "num_experts_per_tok": "2", "moe_intermediate_size": "16",
    ]
    static let gptOssBase = [
        "model_type": "\"gpt_oss\"", "hidden_size": "64", "num_attention_heads": "4", "num_key_value_heads": "2",
        "num_hidden_layers": "2", "intermediate_size": "32", "vocab_size": "100", "num_local_experts": "8",
        "num_experts_per_tok": "2",
    ]

    @Test func badQwen3MoEConfigs() throws {
        let good = try Fixtures.model(Self.qwen3MoEBase, [:], removing: [], yaml: false)
        #expect(try ModelCatalog.load(good).headDim == 32)
        let missing = try Fixtures.model(Self.qwen3MoEBase, [:], removing: ["moe_intermediate_size"], yaml: false)
        #expect(Fixtures.error { _ = try ModelCatalog.load(missing) }
            == "\(missing): missing required key 'moe_intermediate_size' for model_type qwen3_moe")
        let topK = try Fixtures.model(Self.qwen3MoEBase, ["num_experts_per_tok": "9"], removing: [], yaml: false)
        #expect(Fixtures.error { _ = try ModelCatalog.load(topK) }
            == "\(topK): num_experts_per_tok 9 exceeds num_experts 8")
        let headDim = try Fixtures.model(Self.qwen3MoEBase, ["model_type": "\"qwen3\"", "head_dim": "0"],
                                         removing: [], yaml: false)
        #expect(Fixtures.error { _ = try ModelCatalog.load(headDim) }
            == "\(headDim): head_dim must be a positive integer, got 0")
    }

    @Test func badGptOssConfigs() throws {
        let good = try ModelCatalog.load(try Fixtures.model(Self.gptOssBase, [:], removing: [], yaml: false))
        // Defaults of GptOssConfig: head_dim 64, sliding_window 128 on the even layers (1 of 2).
        #expect(good.headDim == 64 && good.attentionWindow == AttentionWindow(size: 128, layers: 1))
        let disagree = try Fixtures.model(Self.gptOssBase, ["experts_per_token": "4"], removing: [], yaml: false)
        #expect(Fixtures.error { _ = try ModelCatalog.load(disagree) }
            == "\(disagree): num_experts_per_tok 2 and experts_per_token 4 differ")
        let topK = try Fixtures.model(Self.gptOssBase, ["experts_per_token": "9"], removing: ["num_experts_per_tok"],
                                      yaml: false)
        #expect(Fixtures.error { _ = try ModelCatalog.load(topK) }
            == "\(topK): num_experts_per_tok 9 exceeds num_local_experts 8")
        let types = try Fixtures.model(Self.gptOssBase, ["layer_types": #"["full_attention"]"#], removing: [],
                                       yaml: false)
        #expect(Fixtures.error { _ = try ModelCatalog.load(types) }
            == "\(types): layer_types has 1 entries for num_hidden_layers 2")
        let kind = try Fixtures.model(Self.gptOssBase, ["layer_types": #"["full_attention", "chunked"]"#],
                                      removing: [], yaml: false)
        #expect(Fixtures.error { _ = try ModelCatalog.load(kind) }
            == "\(kind): layer_types entry 'chunked' must be sliding_attention or full_attention")
        let window = try Fixtures.model(Self.gptOssBase, ["sliding_window": "0"], removing: [], yaml: false)
        #expect(Fixtures.error { _ = try ModelCatalog.load(window) }
            == "\(window): sliding_window must be a positive integer, got 0")
        let noWindow = try Fixtures.model(Self.gptOssBase, ["sliding_window": "null"], removing: [], yaml: false)
        #expect(try ModelCatalog.load(noWindow).attentionWindow == nil)
    }

    @Test func badKimiConfig() throws {
        var values = try JSONSerialization.jsonObject(
            with: Data(contentsOf: URL(fileURLWithPath: try Fixtures.path("huggingface/Kimi-K2-Instruct.json"))))
            as? [String: Any] ?? [:]
        values["kv_lora_rank"] = nil
        let path = try Fixtures.temporary("config.json", String(
            decoding: try JSONSerialization.data(withJSONObject: values), as: UTF8.self))
        #expect(Fixtures.error { _ = try ModelCatalog.load(path) }
            == "\(path): missing required key 'kv_lora_rank' for model_type kimi_k2")
    }
}

import Foundation
import Testing
@testable import Workloads

/// Files in Tests/WorkloadsTests/Fixtures (copied into the test bundle).
enum Fixtures {
    static func path(_ relative: String) throws -> String {
        let folder = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        return folder.appendingPathComponent(relative).path
    }

    /// Writes `text` to a fresh temporary file named `name` and returns its path.
    static func temporary(_ name: String, _ text: String) throws -> String {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("loom-workloads-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let url = folder.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    /// A small model file written to a temporary file: `base` fields (JSON literals as values) with
    /// `changes` applied and `removing` left out, as JSON (`config.json`) or as YAML.
    static func model(_ base: [String: String], _ changes: [String: String], removing: [String], yaml: Bool)
        throws -> String
    {
        var fields = base.merging(changes) { $1 }
        for key in removing { fields[key] = nil }
        let sorted = fields.sorted { $0.key < $1.key }
        if yaml {
            return try temporary("model.yaml", sorted.map { "\($0.key): \($0.value)\n" }.joined())
        }
        let body = sorted.map { "  \"\($0.key)\": \($0.value)" }.joined(separator: ",\n")
        return try temporary("config.json", "{\n\(body)\n}\n")
    }

    /// A small Llama `config.json` (64 wide, 4 heads, 2 layers) with changes.
    static func llamaConfig(_ changes: [String: String] = [:], removing: [String] = []) throws -> String {
        let base = [
            "model_type": "\"llama\"", "hidden_size": "64", "num_attention_heads": "4", "num_hidden_layers": "2",
            "intermediate_size": "128", "vocab_size": "100",
        ]
        return try model(base, changes, removing: removing, yaml: false)
    }

    /// A small Loom YAML model file with changes.
    static func loomYAML(_ changes: [String: String] = [:], removing: [String] = []) throws -> String {
        let base = [
            "layers": "2", "hidden": "64", "heads": "4", "ffn": "256", "vocab": "100", "max_seq": "128", "mlp": "gelu",
        ]
        return try model(base, changes, removing: removing, yaml: true)
    }

    /// The one-line description of the error `body` throws, or nil if it does not throw.
    static func error(_ body: () throws -> Void) -> String? {
        do {
            try body()
            return nil
        } catch {
            return "\(error)"
        }
    }
}

/// Real `config.json` files of Hugging Face checkpoints (Fixtures/huggingface, transcribed from
/// the model repositories) read to the exact `model.num_parameters()` of the checkpoint.
@Suite struct HuggingFaceConfigTests {
    /// (fixture, total, active). Counts from the model cards / `num_parameters()`; falcon-40b and
    /// Minitron-4B are derived layer by layer from the transformers modeling code.
    static let fixtures: [(String, Int, Int)] = [
        ("gpt2.json", 124_439_808, 124_439_808),
        ("gpt-neox-20b.json", 20_554_567_680, 20_554_567_680),
        ("opt-125m.json", 125_239_296, 125_239_296),
        ("bloom.json", 176_247_271_424, 176_247_271_424),
        ("bloom-560m.json", 559_214_592, 559_214_592),
        ("falcon-7b.json", 6_921_720_704, 6_921_720_704),
        ("falcon-40b.json", 41_303_293_952, 41_303_293_952),
        ("Llama-3.1-8B.json", 8_030_261_248, 8_030_261_248),
        ("Llama-2-70b-hf.json", 68_976_648_192, 68_976_648_192),
        ("Mistral-7B-v0.1.json", 7_241_732_096, 7_241_732_096),
        ("Mixtral-8x7B-v0.1.json", 46_702_792_704, 12_879_925_248),
        ("Mixtral-8x22B-v0.1.json", 140_620_634_112, 39_152_031_744),
        ("Qwen2.5-7B.json", 7_615_616_512, 7_615_616_512),
        ("Qwen1.5-MoE-A2.7B.json", 14_315_784_192, 2_689_173_504),
        ("Minitron-4B-Base.json", 4_190_509_056, 4_190_509_056),
        ("gemma-7b.json", 8_537_680_896, 8_537_680_896),
        // Hand count from config.json (ParameterCountTests.deepSeekV3), not a figure Hugging Face
        // publishes: the hub page's "685B" includes the multi-token-prediction layer.
        ("DeepSeek-V3.json", 671_026_419_200, 37_552_297_472),
        // Hand counts of ModernMoETests against the model cards. Sources of the files: Qwen3-8B,
        // Qwen3-32B and Qwen3-30B-A3B as vendored verbatim in github.com/citsjtu2020/LLM-Prof
        // sglang/Model_Config.md; gpt-oss-20b as vendored in the Modular MAX gpt_oss model-config
        // test (its Python literals written as JSON); Kimi-K2-Instruct with the shape keys of the
        // Hub config (61 layers, 7168, 64 heads, 384 experts, first_k_dense_replace 1, vocabulary
        // 163,840, as several vendored copies agree; model_type kimi_k2 per Moonshot AI's Kimi-K2
        // docs/deploy_guidance.md), its FP8 quantization_config and rope_scaling left out.
        ("Qwen3-8B.json", 8_190_735_360, 8_190_735_360),
        ("Qwen3-32B.json", 32_762_123_264, 32_762_123_264),
        ("Qwen3-30B-A3B.json", 30_532_122_624, 3_353_032_704),
        ("gpt-oss-20b.json", 20_914_757_184, 4_187_440_704),
        ("Kimi-K2-Instruct.json", 1_026_408_232_448, 32_861_500_928),
        // google/gemma-2-9b with the shape keys of the Hub config as recalled (42 layers, 3,584,
        // 16 heads of 256, 8 KV heads, MLP 14,336, sliding_window 4,096, vocabulary 256,000), its
        // soft-capping keys kept; the count is the model card's 9,241,705,984.
        ("gemma-2-9b.json", 9_241_705_984, 9_241_705_984),
        // microsoft/phi-2 and EleutherAI/pythia-1b with the Hub configs' keys as recalled; the
        // counts are phi-2's num_parameters() and Pythia's Table 1 (Biderman et al. 2023).
        ("phi-2.json", 2_779_683_840, 2_779_683_840),
        ("pythia-1b.json", 1_011_781_632, 1_011_781_632),
        // microsoft/Phi-3-mini-4k-instruct with the Hub config's keys as recalled; its model card's
        // 3.8B, 3,821,079,552 exactly (`ParameterCountTests`, phi-3-mini).
        ("Phi-3-mini-4k-instruct.json", 3_821_079_552, 3_821_079_552),
    ]

    @Test(arguments: fixtures)
    func configMatchesHuggingFaceCount(file: String, total: Int, active: Int) throws {
        let model = try ModelCatalog.load(try Fixtures.path("huggingface/\(file)"))
        #expect(model.parameterCount.total == total)
        #expect(model.parameterCount.active == active)
    }

    /// A config and the preset of the same checkpoint describe the same model.
    @Test(arguments: [
        ("gpt2.json", "gpt2"), ("gpt-neox-20b.json", "gpt-neox-20b"), ("bloom.json", "bloom-176b"),
        ("falcon-7b.json", "falcon-7b"), ("Llama-3.1-8B.json", "llama-3.1-8b"),
        ("Llama-2-70b-hf.json", "llama-2-70b"), ("Mistral-7B-v0.1.json", "mistral-7b"),
        ("Mixtral-8x7B-v0.1.json", "mixtral-8x7b"), ("Mixtral-8x22B-v0.1.json", "mixtral-8x22b"),
        ("Qwen2.5-7B.json", "qwen2.5-7b"), ("Qwen1.5-MoE-A2.7B.json", "qwen1.5-moe-a2.7b"),
        ("gemma-7b.json", "gemma-7b"), ("DeepSeek-V3.json", "deepseek-v3"),
        ("Qwen3-8B.json", "qwen3-8b"), ("Qwen3-32B.json", "qwen3-32b"), ("Qwen3-30B-A3B.json", "qwen3-30b-a3b"),
        ("gpt-oss-20b.json", "gpt-oss-20b"), ("Kimi-K2-Instruct.json", "kimi-k2"), ("gemma-2-9b.json", "gemma-2-9b"),
        ("phi-2.json", "phi-2"), ("pythia-1b.json", "pythia-1b"), ("opt-125m.json", "opt-125m"),
        ("Phi-3-mini-4k-instruct.json", "phi-3-mini"),
    ])
    func configEqualsPreset(file: String, preset: String) throws {
        var loaded = try ModelCatalog.load(try Fixtures.path("huggingface/\(file)"))
        let expected = try ModelCatalog.preset(named: preset)
        loaded.name = expected.name
        #expect(loaded == expected)
        #expect(loaded.flops(seq: 2048) == expected.flops(seq: 2048))
    }

    @Test func namesComeFromTheConfig() throws {
        #expect(try ModelCatalog.load(try Fixtures.path("huggingface/opt-125m.json")).name == "opt-125m")
        #expect(try ModelCatalog.load(try Fixtures.path("huggingface/Llama-2-70b-hf.json")).name == "Llama-2-70b-hf")
        #expect(try ModelCatalog.load(try Fixtures.path("huggingface/gemma-7b.json")).name == "gemma-7b")
    }

    @Test func architectureDetailsAreRead() throws {
        let falcon = try ModelCatalog.load(try Fixtures.path("huggingface/falcon-40b.json"))
        #expect(falcon.kvHeads == 8 && falcon.details.normsPerBlock == 2 && falcon.parallelBlock)
        let falcon7 = try ModelCatalog.load(try Fixtures.path("huggingface/falcon-7b.json"))
        #expect(falcon7.kvHeads == 1 && falcon7.details.normsPerBlock == 1)
        let opt = try ModelCatalog.load(try Fixtures.path("huggingface/opt-125m.json"))
        #expect(opt.details.positionOffset == 2 && opt.mlp == .relu && opt.tiedEmbeddings)
        let gemma = try ModelCatalog.load(try Fixtures.path("huggingface/gemma-7b.json"))
        #expect(gemma.headDim == 256 && gemma.mlp == .geglu)
        let minitron = try ModelCatalog.load(try Fixtures.path("huggingface/Minitron-4B-Base.json"))
        #expect(minitron.mlp == .squaredRelu && minitron.norm == .layernorm && minitron.kvHeads == 8)
    }

    /// OPT-350m: 512-wide embeddings projected to 1024, post-LN without a final LayerNorm
    /// (331,196,416 parameters, facebook/opt-350m).
    @Test func optProjection() throws {
        let config = """
            {"model_type": "opt", "hidden_size": 1024, "num_attention_heads": 16, "num_hidden_layers": 24,
             "ffn_dim": 4096, "vocab_size": 50272, "max_position_embeddings": 2048,
             "word_embed_proj_dim": 512, "do_layer_norm_before": false, "activation_function": "relu"}
            """
        let model = try ModelCatalog.load(try Fixtures.temporary("config.json", config))
        #expect(model.details.embeddingProjectionDim == 512 && !model.details.finalNorm)
        #expect(model.parameterCount.total == 331_196_416)
    }

    @Test func missingRequiredKeyNamesKeyFileAndType() throws {
        let path = try Fixtures.llamaConfig(removing: ["num_attention_heads"])
        let message = Fixtures.error { _ = try ModelCatalog.load(path) }
        #expect(message == "\(path): missing required key 'num_attention_heads' for model_type llama")
    }

    @Test func unknownModelTypeListsSupported() throws {
        let path = try Fixtures.temporary("config.json", #"{"model_type": "mamba", "hidden_size": 768}"#)
        let message = try #require(Fixtures.error { _ = try ModelCatalog.load(path) })
        #expect(message.hasPrefix("\(path): unsupported model_type 'mamba'; supported: gpt2, gpt_neox, opt, bloom"))
        #expect(message.contains("deepseek_v3"))
    }

    /// Phi's per-head LayerNorms (`qk_layernorm`) are not counted, so a config asking for them is
    /// one line naming the key.
    @Test func phiWithPerHeadNormsIsRefused() throws {
        let path = try Fixtures.model(
            ["model_type": "\"phi\"", "hidden_size": "64", "num_attention_heads": "4", "num_hidden_layers": "2",
             "intermediate_size": "256", "vocab_size": "100"], ["qk_layernorm": "true"], removing: [], yaml: false)
        #expect(Fixtures.error { _ = try ModelCatalog.load(path) }
            == "\(path): qk_layernorm true is not supported for model_type phi (per-head LayerNorms are not modelled)")
    }

    @Test func malformedJSONNamesTheLine() throws {
        let path = try Fixtures.temporary("config.json", """
            {
              "model_type": "llama",
              "hidden_size": 4096
              "num_attention_heads": 32
            }
            """)
        let message = try #require(Fixtures.error { _ = try ModelCatalog.load(path) })
        #expect(message.hasPrefix("\(path): malformed JSON at line 4"))
        #expect(!message.contains("\n"))
    }

    @Test func wrongTypesAreErrors() throws {
        let text = try Fixtures.llamaConfig(["hidden_size": "\"4096\""])
        #expect(Fixtures.error { _ = try ModelCatalog.load(text) }
            == #"\#(text): key 'hidden_size' must be an integer, got "4096""#)
        let fraction = try Fixtures.llamaConfig(["model_type": "\"mistral\"", "hidden_size": "4096.5"])
        #expect(Fixtures.error { _ = try ModelCatalog.load(fraction) }
            == "\(fraction): key 'hidden_size' must be an integer, got 4096.5")
        let flag = try Fixtures.llamaConfig(["tie_word_embeddings": "1"])
        #expect(Fixtures.error { _ = try ModelCatalog.load(flag) }
            == "\(flag): key 'tie_word_embeddings' must be true or false, got 1")
    }

    @Test func wholeRealsAreIntegers() throws {
        #expect(try ModelCatalog.load(try Fixtures.llamaConfig(["hidden_size": "64.0"])).hidden == 64)
    }

    @Test func headsMustDivideHiddenWithoutHeadDim() throws {
        let path = try Fixtures.llamaConfig(["hidden_size": "4000", "num_attention_heads": "48"])
        #expect(Fixtures.error { _ = try ModelCatalog.load(path) }
            == "\(path): hidden size 4000 is not divisible by num_attention_heads 48")
    }

    @Test func invalidValuesAreCaughtAfterReading() throws {
        let path = try Fixtures.llamaConfig([
            "model_type": "\"mistral\"", "num_attention_heads": "32", "num_key_value_heads": "5",
        ])
        #expect(Fixtures.error { _ = try ModelCatalog.load(path) }
            == "\(path): kv_heads 5 does not divide heads 32")
    }

    @Test func modelFolderHoldingConfig() throws {
        let path = try Fixtures.llamaConfig()
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        let model = try ModelCatalog.load(folder)
        #expect(model.hidden == 64)
        #expect(model.name == URL(fileURLWithPath: folder).lastPathComponent)
    }
}

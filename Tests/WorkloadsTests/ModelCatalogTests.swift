import NameMatching
import Foundation
import Testing
@testable import Workloads

@Suite struct ModelCatalogTests {
    @Test func everyPresetIsValidSourcedAndUniquelyNamed() throws {
        var spellings: Set<String> = []
        for preset in ModelCatalog.presets {
            try preset.model.validate()
            #expect(!preset.source.isEmpty && !preset.family.isEmpty)
            #expect(preset.model.name == preset.name)
            for spelling in [preset.name] + preset.aliases {
                #expect(spellings.insert(spelling.lowercased()).inserted, "\(spelling) is used twice")
            }
        }
    }

    @Test func requiredPresetsExist() {
        let required = [
            "gpt2", "gpt2-xl", "gpt3-175b", "megatron-1.7b", "megatron-3.6b", "megatron-7.5b", "megatron-18.4b",
            "megatron-39.1b", "megatron-76.1b", "megatron-145.6b", "megatron-310.1b", "megatron-529.6b",
            "megatron-1t", "llama-2-7b", "llama-2-13b", "llama-2-70b", "llama-3.1-8b", "llama-3.1-70b",
            "llama-3.1-405b", "mistral-7b", "mixtral-8x7b", "mixtral-8x22b", "qwen2.5-7b", "qwen2.5-72b",
            "deepseek-v3", "bloom-176b", "opt-175b", "gpt-neox-20b", "mt-nlg-530b", "nemotron-4-340b", "palm-540b",
        ]
        for name in required { #expect(ModelCatalog.entry(named: name) != nil, "\(name)") }
    }

    @Test func aliasesAndCaseAreAccepted() throws {
        #expect(try ModelCatalog.preset(named: "megatron-1008b").name == "megatron-1t")
        #expect(try ModelCatalog.preset(named: "Llama-3.1-8B").name == "llama-3.1-8b")
        #expect(try ModelCatalog.load("GPT2").name == "gpt2")
    }

    @Test func unknownPresetSuggestsNearestNames() {
        #expect(Fixtures.error { _ = try ModelCatalog.preset(named: "llama-3-8b") }
            == "unknown model 'llama-3-8b'; did you mean llama-3.1-8b, llama-2-7b?")
        #expect(Fixtures.error { _ = try ModelCatalog.load("mixtral") }
            == "unknown model 'mixtral'; did you mean mixtral-8x7b, mixtral-8x22b?")
        #expect(Fixtures.error { _ = try ModelCatalog.load("megatron-1008") }
            == "unknown model 'megatron-1008'; did you mean megatron-1t?")
        let far = Fixtures.error { _ = try ModelCatalog.load("zzzzzzzzzzzz") }
        #expect(far == "unknown model 'zzzzzzzzzzzz'; not a preset (see 'loom models') nor a model file path")
    }

    @Test func missingFilesAndBadExtensions() throws {
        #expect(Fixtures.error { _ = try ModelCatalog.load("no/such/config.json") }
            == "no/such/config.json: no such model file")
        let text = try Fixtures.temporary("model.txt", "layers: 2")
        #expect(Fixtures.error { _ = try ModelCatalog.load(text) }
            == "\(text): unsupported model file extension '.txt' (expected .json, .yaml or .yml)")
    }

    @Test func editDistance() {
        let d = { (a: String, b: String) in NameSuggestions.editDistance(Array(a), Array(b)) }
        #expect(d("kitten", "sitting") == 3)
        #expect(d("", "abc") == 3)
        #expect(d("llama-3-8b", "llama-3.1-8b") == 2)
    }
}

/// Loom's own YAML/JSON model files (Sources/Workloads/README.md).
@Suite struct LoomModelFileTests {
    /// Counted by hand: attention 655,360 and norms 1,024 per layer; one dense layer with a
    /// 3,145,728 MLP; three MoE layers of 8 experts of 393,216 (2 active), a shared expert of
    /// 393,216 and a 4,096 router; embedding and output 512,000 each; final norm 512.
    @Test func yamlMoEModel() throws {
        let model = try ModelCatalog.load(try Fixtures.path("loom/tiny-moe.yaml"))
        #expect(model.name == "tiny-moe")
        #expect(model.kvHeads == 2 && model.headDim == 64)
        #expect(model.moeLayerCount == 3)
        #expect(model.parameterCount.total == 17_424_896)
        #expect(model.parameterCount.active == 17_424_896 - 3 * 6 * 393_216)
    }

    /// The validation files' model objects (`seq` for `max_seq`) read as Loom JSON.
    @Test func jsonModelMatchesPreset() throws {
        let model = try ModelCatalog.load(try Fixtures.path("loom/megatron-1.7b.json"))
        let preset = try ModelCatalog.preset(named: "megatron-1.7b")
        #expect(model.name == "megatron-1.7b-file")
        #expect(model.parameterCount == preset.parameterCount)
    }

    @Test func publicDictionaryEntryPoint() throws {
        let object: [String: Any] = [
            "layers": 2, "hidden": 64, "heads": 4, "ffn": 256, "vocab": 100, "seq": 128, "mlp": "gelu",
        ]
        let model = try LoomModelFile.model(from: object, file: "runs.json", defaultName: "run-1")
        #expect(model.name == "run-1" && model.maxSeq == 128 && model.norm == .rmsnorm)
    }

    @Test func unknownKeySuggestsTheNearest() throws {
        let path = try Fixtures.temporary("model.yaml", """
            layers: 2
            hiden: 64
            heads: 4
            """)
        #expect(Fixtures.error { _ = try ModelCatalog.load(path) }
            == "\(path): unknown key 'hiden'; did you mean hidden?")
        let nested = try Fixtures.temporary("model.yaml", """
            layers: 2
            moe:
              experts: 4
              topk: 2
            """)
        #expect(Fixtures.error { _ = try ModelCatalog.load(nested) }
            == "\(nested): unknown key 'moe.topk'; did you mean moe.top_k?")
    }

    @Test func missingKeyNamesIt() throws {
        let path = try Fixtures.loomYAML(removing: ["heads"])
        #expect(Fixtures.error { _ = try ModelCatalog.load(path) } == "\(path): missing required key 'heads'")
    }

    @Test func badChoiceListsTheChoices() throws {
        let path = try Fixtures.loomYAML(["mlp": "swish"])
        #expect(Fixtures.error { _ = try ModelCatalog.load(path) }
            == "\(path): key 'mlp' must be one of gelu, relu, squared_relu, swiglu, geglu, got \"swish\"")
    }

    @Test func malformedYAMLNamesTheLine() throws {
        let path = try Fixtures.temporary("model.yaml", """
            layers: 2
            hidden: 64
            heads: [4
            ffn: 256
            """)
        let message = try #require(Fixtures.error { _ = try ModelCatalog.load(path) })
        #expect(message.hasPrefix("\(path): malformed YAML at line "))
        #expect(!message.contains("\n"))
    }

    @Test func topLevelMustBeAMapping() throws {
        let path = try Fixtures.temporary("model.yaml", "- 1\n- 2\n")
        #expect(Fixtures.error { _ = try ModelCatalog.load(path) }
            == "\(path): expected a YAML mapping of model fields at the top level")
    }
}

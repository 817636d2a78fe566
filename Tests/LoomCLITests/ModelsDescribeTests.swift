import Foundation
import Testing

/// `loom models` and `loom describe`, run as a user would (the built binary).
@Suite struct ModelsDescribeTests {
    @Test func modelsTableListsPresetsWithCounts() throws {
        let result = try CLIRunner.run(["models"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("NAME") == true)
        for header in ["FAMILY", "PARAMS", "ACTIVE", "LAYERS", "HIDDEN", "HEADS", "KV HEADS", "FFN", "VOCAB"] {
            #expect(lines.first?.contains(header) == true, "\(header)")
        }
        let mixtral = try #require(lines.first { $0.hasPrefix("mixtral-8x7b ") })
        #expect(mixtral.contains("46.70B") && mixtral.contains("12.88B"))
        #expect(result.stderr.isEmpty)
    }

    @Test func modelsJSONIsOneDocument() throws {
        let result = try CLIRunner.run(["models", "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let document = try #require(try CLIRunner.json(result) as? [String: Any])
        let models = try #require(document["models"] as? [[String: Any]])
        let names = models.compactMap { $0["name"] as? String }
        for name in ["gpt2", "megatron-1t", "llama-3.1-405b", "mixtral-8x22b", "deepseek-v3", "palm-540b",
                     "qwen3-8b", "qwen3-32b", "qwen3-30b-a3b", "qwen3-235b-a22b", "gpt-oss-20b", "gpt-oss-120b",
                     "kimi-k2"] {
            #expect(names.contains(name), "\(name)")
        }
        let llama = try #require(models.first { $0["name"] as? String == "llama-3.1-8b" })
        #expect(llama["parameters"] as? Int == 8_030_261_248)
        #expect(llama["active_parameters"] as? Int == 8_030_261_248)
        #expect(llama["kv_heads"] as? Int == 8)
        #expect(llama["family"] as? String == "llama-3")
        let mixtral = try #require(models.first { $0["name"] as? String == "mixtral-8x7b" })
        #expect(mixtral["active_parameters"] as? Int == 12_879_925_248)
    }

    @Test func describeJSONHasTheContractFields() throws {
        let result = try CLIRunner.run(["describe", "--model", "llama-3.1-8b", "--seq", "8192", "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let d = try #require(try CLIRunner.json(result) as? [String: Any])
        #expect(d["parameters"] as? Int == 8_030_261_248)
        #expect(d["active_parameters"] as? Int == 8_030_261_248)
        #expect(d["seq"] as? Int == 8192)
        for key in ["layers", "hidden", "heads", "kv_heads", "head_dim", "ffn", "vocab", "max_seq", "breakdown"] {
            #expect(d[key] != nil, "\(key)")
        }
        // 3 x (2 x matmul weights + 4 x seq x heads x head_dim per layer); the weights are all but the
        // embedding table and the norms (no biases in Llama).
        let embedding: Double = 128_256 * 4096
        let norms: Double = (2 * 32 + 1) * 4096
        let weights: Double = 8_030_261_248 - embedding - norms
        let attention: Double = 32 * 4 * 8192 * 32 * 128
        let expected: Double = 3 * (2 * weights + attention)
        let flops = try #require(d["flops_per_token"] as? Double)
        #expect(abs(flops / expected - 1) < 1e-12)
        let breakdown = try #require(d["breakdown"] as? [String: Any])
        #expect(breakdown["embedding"] as? Int == 128_256 * 4096)
        #expect(breakdown["output_layer"] as? Int == 128_256 * 4096)
        #expect(result.stderr.isEmpty)
    }

    @Test func describeDefaultsToMaxSeqAndHalvesWhenCausal() throws {
        let full = try #require(try CLIRunner.json(try CLIRunner.run(["describe", "--model", "gpt2", "--format", "json"]))
            as? [String: Any])
        #expect(full["seq"] as? Int == 1024)
        let causal = try #require(try CLIRunner.json(
            try CLIRunner.run(["describe", "--model", "gpt2", "--causal", "--format", "json"])) as? [String: Any])
        let fullAttention = try #require((full["flops"] as? [String: Any])?["attention"] as? Double)
        let causalAttention = try #require((causal["flops"] as? [String: Any])?["attention"] as? Double)
        #expect(causalAttention == fullAttention / 2)
    }

    @Test func describeMoEAndHuggingFaceConfig() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("loom-describe-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let config = folder.appendingPathComponent("config.json")
        try Data("""
            {"model_type": "mixtral", "hidden_size": 4096, "intermediate_size": 14336, "num_attention_heads": 32,
             "num_hidden_layers": 32, "num_key_value_heads": 8, "num_local_experts": 8, "num_experts_per_tok": 2,
             "vocab_size": 32000, "max_position_embeddings": 32768}
            """.utf8).write(to: config)
        for spec in [config.path, folder.path] {
            let result = try CLIRunner.run(["describe", "--model", spec, "--format", "json"])
            #expect(result.status == 0, "\(result.stderr)")
            let d = try #require(try CLIRunner.json(result) as? [String: Any])
            #expect(d["parameters"] as? Int == 46_702_792_704)
            #expect(d["active_parameters"] as? Int == 12_879_925_248)
        }
    }

    /// gpt-oss-120b: the sliding window in JSON and in the table; the published config's counts.
    @Test func describeSlidingWindow() throws {
        let result = try CLIRunner.run(["describe", "--model", "gpt-oss-120b", "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let d = try #require(try CLIRunner.json(result) as? [String: Any])
        #expect(d["parameters"] as? Int == 116_829_156_672)
        let window = try #require(d["attention_window"] as? [String: Any])
        #expect(window["size"] as? Int == 128 && window["layers"] as? Int == 18)
        let table = try CLIRunner.run(["describe", "--model", "gpt-oss-120b"])
        #expect(table.stdout.contains("128 keys on 18 of 36 layers"))
        let dense = try #require(try CLIRunner.json(try CLIRunner.run(["describe", "--model", "qwen3-8b", "--format",
                                                                       "json"])) as? [String: Any])
        #expect(dense["attention_window"] is NSNull)
    }

    @Test func describeTableShowsCountsAndBreakdown() throws {
        let result = try CLIRunner.run(["describe", "--model", "deepseek-v3", "--seq", "4096"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("671,026,419,200"))
        #expect(result.stdout.contains("routed experts"))
        #expect(result.stdout.contains("at seq 4096"))
    }

    /// Errors: non-zero status, nothing on stdout, one line on stderr naming the bad value.
    @Test(arguments: [
        (["describe", "--model", "llama-3-8b"], "unknown model 'llama-3-8b'; did you mean llama-3.1-8b, llama-2-7b?"),
        (["describe", "--model", "gpt2", "--seq", "0"], "--seq 0"),
        (["describe", "--model", "gpt2", "--seq=-5"], "--seq -5 must be between 1 and"),
        (["describe", "--model", "no/such/config.json"], "no/such/config.json: no such model file"),
        (["describe"], "--model"),
        (["models", "--format", "xml"], "xml"),
    ])
    func errorsAreOneLine(arguments: [String], expected: String) throws {
        let result = try CLIRunner.run(arguments)
        #expect(result.status != 0)
        #expect(result.stdout.isEmpty)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(result.stderr)")
        #expect(result.stderr.contains(expected), "\(result.stderr)")
    }

    @Test func badModelFilesAreOneLine() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("loom-describe-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let cases: [(String, String, String)] = [
            ("config.json", "{\n  \"model_type\": \"llama\",\n  \"hidden_size\": 64\n  \"vocab_size\": 10\n}",
             "malformed JSON at line 4"),
            ("missing.json", #"{"model_type": "llama", "hidden_size": 64}"#,
             "missing required key 'num_attention_heads' for model_type llama"),
            ("model.yaml", "layers: 2\nhidden: 4000\nheads: 48\nffn: 8\nvocab: 10\nmax_seq: 8\nmlp: gelu\n",
             "hidden 4000 is not divisible by heads 48"),
            ("kv.yaml", "layers: 2\nhidden: 64\nheads: 32\nkv_heads: 5\nffn: 8\nvocab: 10\nmax_seq: 8\nmlp: gelu\n",
             "kv_heads 5 does not divide heads 32"),
            ("nan.yaml", "layers: .nan\nhidden: 64\nheads: 4\nffn: 8\nvocab: 10\nmax_seq: 8\nmlp: gelu\n",
             "key 'layers' must be an integer, got nan"),
        ]
        for (name, text, expected) in cases {
            let path = folder.appendingPathComponent(name).path
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            let result = try CLIRunner.run(["describe", "--model", path])
            #expect(result.status == 1, "\(name)")
            #expect(result.stderr.hasPrefix("loom: error: \(path): \(expected)"), "\(name): \(result.stderr)")
            #expect(result.stderr.split(separator: "\n").count == 1, "\(name): \(result.stderr)")
        }
    }
}

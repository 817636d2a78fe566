import Foundation
import Testing

/// Encoder-only and encoder-decoder models through `loom models` and `loom describe`.
@Suite struct EncoderModelsCLITests {
    @Test func modelsListsTheEncoderPresets() throws {
        let result = try CLIRunner.run(["models", "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let models = try #require((try CLIRunner.json(result) as? [String: Any])?["models"] as? [[String: Any]])
        let byName = Dictionary(uniqueKeysWithValues: models.compactMap { m in (m["name"] as? String).map { ($0, m) } })
        // Hugging Face num_parameters(): t5-small 60,506,624; bert-base-uncased as BertForMaskedLM
        // 109,514,298 (EncoderModelTests derives both by hand).
        #expect(byName["t5-small"]?["parameters"] as? Int == 60_506_624)
        #expect(byName["bert-base"]?["parameters"] as? Int == 109_514_298)
        for name in ["bert-large", "roberta-large", "t5-base", "t5-large", "t5-3b", "t0-3b", "mt5-xxl"] {
            #expect(byName[name] != nil, "\(name)")
        }
    }

    /// t5-small at 512 input and 512 target tokens, per (input + target) token: the encoder's
    /// matmuls and attention over the input, the decoder's over the target, cross-attention K and V
    /// over the input, logits over the target; training = 3 x forward.
    @Test func describeCountsBothStacks() throws {
        let result = try CLIRunner.run(["describe", "--model", "t5-small", "--seq", "512", "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let d = try #require(try CLIRunner.json(result) as? [String: Any])
        #expect(d["decoder_layers"] as? Int == 6 && d["target_seq"] as? Int == 512)
        #expect(d["attention"] as? String == "bidirectional")
        let (dm, f, inner, V, L, S) = (512.0, 2048.0, 512.0, 32128.0, 6.0, 512.0)
        let input = 2 * L * (4 * dm * inner + 2 * dm * f) + 2 * L * 2 * dm * inner + L * 4 * S * inner
        let target = 2 * L * (6 * dm * inner + 2 * dm * f) + L * 2 * 4 * S * inner + 2 * V * dm
        let expected = 3 * (input + target) / 2
        let flops = try #require(d["flops_per_token"] as? Double)
        #expect(abs(flops / expected - 1) < 1e-12)
    }

    @Test func badT5ConfigIsOneLine() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("loom-t5-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("config.json").path
        try Data(#"{"model_type": "t5", "d_model": 64, "d_ff": 128, "d_kv": 16, "num_heads": 4, "vocab_size": 100}"#
            .utf8).write(to: URL(fileURLWithPath: path))
        let result = try CLIRunner.run(["describe", "--model", path])
        #expect(result.status != 0)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
        #expect(result.stderr.contains("\(path): missing required key 'num_layers' for model_type t5"), "\(result.stderr)")
    }
}

import Foundation
import Hardware
import Testing
import Validation
import Workloads

/// A runs-file row may describe a mixture of experts (`experts`, `experts_per_token`,
/// `expert_ffn`, `shared_experts`, `shared_expert_ffn`, `dense_layers`). Mixtral 8x7B stated that
/// way has Hugging Face's exact count, 46,702,792,704 parameters (the mixtral-8x7b preset's).
@Suite struct MoERunTests {
    static func run(_ model: String) throws -> PublishedRun {
        let json = """
        [{"id": "moe", "framework": "megatron-core", "model": {\(model)},
          "cluster": {"preset": "dgx-h100", "gpus": 64},
          "layout": {"tp": 1, "pp": 1, "dp": 64, "ep": 8, "recompute": "none", "micro_batch": 1, "global_batch": 256},
          "reported": {"tokens_per_s": 1}}]
        """
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("moe-run-\(UUID().uuidString).json")
        try Data(json.utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        #expect(try RunsFileReader.unreadFields(path: url.path).isEmpty)
        return try #require(try RunsFileReader.loadRuns(path: url.path).first)
    }

    static let mixtral = """
        "layers": 32, "hidden": 4096, "heads": 32, "kv_heads": 8, "ffn": 14336, "vocab": 32000, "seq": 4096,
        "mlp": "swiglu", "tied_embeddings": false, "experts": 8, "experts_per_token": 2
        """

    @Test func mixtralFromItsShape() throws {
        let inputs = try RunMapping.inputs(for: try Self.run(Self.mixtral), cluster: TopologyCatalog.load).get()
        let moe = try #require(inputs.model.moe)
        #expect(moe.experts == 8 && moe.expertsPerToken == 2 && moe.expertFFN == 14336)
        #expect(inputs.model.parameterCount.total == 46_702_792_704)
    }

    @Test func expertsWithoutTopKAreRefused() throws {
        let run = try Self.run(Self.mixtral.replacingOccurrences(of: ", \"experts_per_token\": 2", with: ""))
        guard case let .failure(refusal) = RunMapping.inputs(for: run, cluster: TopologyCatalog.load) else {
            Issue.record("a MoE run without experts_per_token was accepted")
            return
        }
        #expect(refusal.reasons.contains { $0.contains("experts_per_token") })
    }
}

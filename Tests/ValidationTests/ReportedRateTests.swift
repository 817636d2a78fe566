import CostModel
import Foundation
import Hardware
import Testing
import Validation

/// A run may report its throughput as MFU or model TFLOP/s per GPU only (MaxText's and NeMo's
/// tables print these): the prediction is still made, and the reported tokens/s are the ones that
/// rate means with Loom's own model FLOPs per token, so the error is the ratio of the two rates.
@Suite struct ReportedRateTests {
    static func runs() throws -> [PublishedRun] {
        let json = """
        [{"id": "mfu-only", "framework": "megatron-core", "precision": "bf16",
          "model": {"layers": 32, "hidden": 4096, "heads": 32, "kv_heads": 8, "ffn": 14336, "vocab": 128256, "seq": 8192,
                    "mlp": "swiglu", "tied_embeddings": false},
          "cluster": {"preset": "dgx-h100", "gpus": 8},
          "layout": {"tp": 1, "pp": 1, "dp": 8, "cp": 1, "ep": 1, "micro_batch": 1, "global_batch": 128, "zero": 1, "recompute": "none"},
          "reported": {"mfu": 50.0}},
         {"id": "tflops-only", "framework": "megatron-core", "precision": "bf16",
          "model": {"layers": 32, "hidden": 4096, "heads": 32, "kv_heads": 8, "ffn": 14336, "vocab": 128256, "seq": 8192,
                    "mlp": "swiglu", "tied_embeddings": false},
          "cluster": {"preset": "dgx-h100", "gpus": 8},
          "layout": {"tp": 1, "pp": 1, "dp": 8, "cp": 1, "ep": 1, "micro_batch": 1, "global_batch": 128, "zero": 1, "recompute": "none"},
          "reported": {"tflops_per_gpu": 450}},
         {"id": "nothing", "model": {"layers": 2, "hidden": 1024, "heads": 16, "vocab": 32000, "seq": 2048},
          "cluster": {"preset": "dgx-h100", "gpus": 8}, "layout": {"tp": 1, "pp": 1, "dp": 8, "global_batch": 64},
          "reported": {}}]
        """
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rates-\(UUID().uuidString).json").path
        try Data(json.utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try RunsFileReader.loadRuns(path: path)
    }

    @Test func mfuOrTFLOPSAloneArePredicted() throws {
        let report = ValidationRunner.validate(runs: try Self.runs()) { try TopologyCatalog.load($0) }
        let mfu = try #require(report.runs.first { $0.id == "mfu-only" })
        // 50.0 is a percentage: 0.50 of the bf16 peak.
        #expect(abs((mfu.error + 1) - mfu.predictedMfu / 0.50) < 1e-9)
        let tflops = try #require(report.runs.first { $0.id == "tflops-only" })
        // The predicted model TFLOP/s per GPU is the predicted MFU of the H100's 989.4 bf16 peak.
        #expect(abs((tflops.error + 1) - tflops.predictedMfu * 989.4 / 450) < 1e-6)
        #expect(tflops.assumed.contains { $0.hasPrefix("tokens/s from the reported 450.0 TFLOP/s per GPU") })
        #expect(report.refused.map(\.id) == ["nothing"])
        #expect(report.refused.first?.reasons == ["reports none of tokens_per_s, iteration_s, tflops_per_gpu, mfu"])
    }
}

import Foundation
import Hardware
import Testing
import Validation
import Workloads

/// `published-runs-3.json`: Megatron-Bridge's pre-training tables (26.08, 26.04.01, 26.02 and 25.11
/// NeMo containers) on GB300 / GB200 NVL72, DGX B300 / B200 and DGX H100, dense and MoE, in BF16,
/// FP8, MXFP8 and NVFP4. The file's integrity, not its accuracy: it loads with every key read,
/// every run is predicted, and the mean |error| is a number. The measured errors are in the
/// report that added the file, not thresholds here.
@Suite struct BridgeRunsTests {
    static func runs() throws -> [PublishedRun] {
        try RunsFileReader.loadRuns(path: validationFile("published-runs-3.json"))
    }

    @Test func everyRunIsReadAndPredicted() throws {
        let path = validationFile("published-runs-3.json")
        #expect(try RunsFileReader.unreadFields(path: path).isEmpty)
        let runs = try Self.runs()
        // 104 rows: the 26.08 table's 8 rows of Loom's models, 26.04.01's 33, 26.02's 32 and 25.11's
        // 31 (its LLAMA3_8B and B200 405B rows give an FP8-CS and an FP8-MX run each), less the three
        // Qwen3-235B H100 rows whose EP 32 folds over TP 2 x DP 16.
        #expect(runs.count == 104)
        #expect(Set(runs.map(\.id)).count == runs.count)
        let report = ValidationRunner.validate(runs: runs, cluster: TopologyCatalog.load)
        #expect(report.refused.isEmpty, "\(report.refused)")
        #expect(report.runs.count == runs.count)
        #expect(report.meanAbsError.isFinite && report.meanAbsError > 0)
        for run in runs {
            #expect(run.reportedTokensPerSecond.map { $0 > 0 } == true, "\(run.id)")
            #expect(run.layout.tp * run.layout.pp * run.layout.dp * (run.layout.cp ?? 1) == run.cluster.gpus, "\(run.id)")
        }
    }

    /// The runs state the shapes of Loom's presets: the same parameter count less exactly what a
    /// runs file cannot state, and DeepSeek's latent attention and GPT-OSS's sliding window as
    /// stated. Left out (hand counts): DeepSeek-V3's router bias, 256 x 58 MoE layers = 14,848;
    /// Kimi K2's, 384 x 60 = 23,040; Qwen3's q/k norms, 2 x 128 x 48 = 12,288 (30B-A3B) and
    /// 2 x 128 x 94 = 24,064 (235B-A22B); GPT-OSS-120B's sinks and router bias per layer (its
    /// q/k/v, o and expert biases are stated, `qkv_bias` and `linear_bias`): sinks 64 + router
    /// 128 = 192, x 36 layers = 6,912. The Llama shapes are the presets'.
    @Test(arguments: [("dsv3", "deepseek-v3", 14_848), ("kimik2", "kimi-k2", 23_040), ("gptoss120b", "gpt-oss-120b", 6_912),
                      ("qwen3-30b-a3b", "qwen3-30b-a3b", 12_288), ("qwen3-235b-a22b", "qwen3-235b-a22b", 24_064),
                      ("llama3-70b", "llama-3.1-70b", 0), ("llama31-405b", "llama-3.1-405b", 0), ("llama3-8b", "llama-3.1-8b", 0)])
    func shapesAreThePresets(tag: String, preset: String, unstatable: Int) throws {
        let run = try #require(try Self.runs().first { $0.id.contains("-\(tag)-") })
        let mapped = try RunMapping.inputs(for: run, cluster: TopologyCatalog.load).get().model
        let expected = try ModelCatalog.preset(named: preset)
        #expect(mapped.mla == expected.mla)
        #expect(mapped.attentionWindow == expected.attentionWindow)
        #expect(mapped.moe?.experts == expected.moe?.experts)
        #expect(mapped.moe?.expertsPerToken == expected.moe?.expertsPerToken)
        #expect(mapped.moe?.denseLayers == expected.moe?.denseLayers)
        #expect(expected.parameterCount.total - mapped.parameterCount.total == unstatable)
    }
}

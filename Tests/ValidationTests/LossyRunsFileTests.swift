import Foundation
import Testing
@testable import Validation

/// `loom validate` reads each run of a runs file on its own (`RunsFileReader.loadRunsLossy`): a
/// run missing a field is refused naming it while the others are predicted; a run may name its
/// model (`model.preset`: a preset or a Hugging Face id) instead of describing it; a per-GPU
/// rate is multiplied by the run's GPUs.
@Suite struct LossyRunsFileTests {
    static let file = """
    [{"id": "named", "source": "s", "framework": "nemo", "precision": "fp8",
      "model": {"preset": "meta-llama/Llama-3.1-70B", "seq": 8192},
      "cluster": {"preset": "dgx-h100", "gpus": 64},
      "layout": {"tp": 4, "pp": 4, "cp": 2, "vpp": 5, "micro_batch": 1, "global_batch": 128},
      "reported": {"tokens_per_sec_per_gpu": 1600}},
     {"id": "broken", "source": "s", "model": {"seq": 4096}, "cluster": {"preset": "dgx-h100", "gpus": 8},
      "layout": {"micro_batch": 1, "global_batch": 8}, "reported": {"tokens_per_s": 1000}}]
    """

    @Test func aBrokenRunIsRefusedAndTheOthersRead() throws {
        let path = try temporaryFile(Self.file)
        let (runs, unreadable) = try RunsFileReader.loadRunsLossy(path: path)
        #expect(runs.map(\.id) == ["named"])
        #expect(unreadable == [.init(id: "broken", source: "s", reason: "missing required field 'layers' at model")])
        // The strict reader still names the run and the field.
        #expect(throws: RunsFileError.badRun(path: path, id: "broken", reason: "missing required field 'layers' at model")) {
            _ = try RunsFileReader.loadRuns(path: path)
        }
    }

    /// Elements that are not objects are refused as such (writing one back would trap
    /// Foundation's JSONSerialization), as is an object without a model.
    @Test func elementsThatAreNotRunsAreRefused() throws {
        let path = try temporaryFile(#"[1, "x", null, [], {"id": "a"}]"#)
        let (runs, unreadable) = try RunsFileReader.loadRunsLossy(path: path)
        #expect(runs.isEmpty)
        #expect(unreadable.map(\.reason) == Array(repeating: "not a JSON object", count: 4) + ["missing required field 'model'"])
        #expect(try RunsFileReader.unreadFields(path: path).isEmpty)
    }

    /// Llama 3.1 70B's architecture (Dubey et al. 2024, Table 3: 80 layers of 8,192, 64 heads,
    /// 8 KV heads, MLP 28,672, vocabulary 128,256) fills the named run; 1,600 tokens/s per GPU on
    /// 64 GPUs is 102,400 tokens/s.
    @Test func aNamedModelTakesThePresetsArchitecture() throws {
        let run = try #require(try RunsFileReader.loadRunsLossy(path: try temporaryFile(Self.file)).runs.first)
        #expect(run.model.layers == 80 && run.model.hidden == 8192 && run.model.heads == 64)
        #expect(run.model.kvHeads == 8 && run.model.ffn == 28672 && run.model.vocab == 128_256)
        #expect(run.model.mlp == "swiglu" && run.model.seq == 8192)
        #expect(run.reportedTokensPerSecond == 102_400)
        #expect(try RunsFileReader.unreadFields(path: try temporaryFile(Self.file)).isEmpty)
    }
}

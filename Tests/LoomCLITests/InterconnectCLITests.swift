import Foundation
import Testing

/// The interconnect shapes end to end: NVL72 jobs that do not fill their last rack, a torus, and
/// a part without bf16.
@Suite struct InterconnectCLITests {
    static func estimate(_ cluster: String, gpus: Int, tp: Int, globalBatch: Int) -> [String] {
        ["estimate", "--model", "llama-3.1-8b", "--cluster", cluster, "--gpus", String(gpus), "--tp", String(tp),
         "--pp", "1", "--micro-batch", "1", "--global-batch", String(globalBatch), "--seq", "2048",
         "--recompute", "full", "--format", "json"]
    }

    /// Issue 13: "--gpus 256 is not a multiple of 72" before NVL72 racks were 4-GPU hosts in a
    /// 72-GPU NVLink domain; 256 GPUs (64 hosts) are now a valid job, 130 (not whole hosts) is not.
    @Test func gb300With256GPUs() throws {
        let result = try CLIRunner.run(Self.estimate("gb300-nvl72", gpus: 256, tp: 8, globalBatch: 256))
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(try CLIRunner.json(result) as? [String: Any])
        let tokens = try #require(json["tokens_per_s"] as? Double)
        #expect(tokens.isFinite && tokens > 0)
        let bad = try CLIRunner.run(Self.estimate("gb300-nvl72", gpus: 130, tp: 2, globalBatch: 130))
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("--gpus 130 is not a multiple of 4 GPUs per node on gb300-nvl72"))
        #expect(bad.stderr.split(separator: "\n").count == 1)
    }

    /// T4 has no bf16 (its file: bf16 0, fp16 65): the estimate runs at the fp16 peak, and MFU is
    /// a finite fraction, not a division by zero.
    @Test func fp16OnlyPartHasAFiniteMFU() throws {
        let result = try CLIRunner.run(Self.estimate("t4", gpus: 8, tp: 8, globalBatch: 8))
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(try CLIRunner.json(result) as? [String: Any])
        let mfu = try #require(json["mfu"] as? Double)
        #expect(mfu.isFinite && mfu > 0 && mfu < 1)
    }

    @Test func tpuTorusEstimates() throws {
        for cluster in ["tpu-v4", "tpu-v5e", "tpu-v5p", "tpu-v6e"] {
            let result = try CLIRunner.run(Self.estimate(cluster, gpus: 64, tp: 4, globalBatch: 64))
            #expect(result.status == 0, "\(cluster): \(result.stderr)")
            let json = try #require(try CLIRunner.json(result) as? [String: Any])
            let step = try #require(json["step_time_s"] as? Double)
            #expect(step.isFinite && step > 0, "\(cluster)")
        }
    }
}

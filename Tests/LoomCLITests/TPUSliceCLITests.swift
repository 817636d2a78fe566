import Foundation
import Testing

/// Multi-slice TPU jobs and MaxText-style layouts end to end (issue 15): PaLM 540B's layout on
/// 6,144 TPU v4 chips, and bad input in one line.
@Suite struct TPUSliceCLITests {
    /// PaLM's layout without the slice count (6,144 chips are more than one 4,096-chip v4 pod).
    static let palmUnsliced = ["estimate", "--model", "palm-540b", "--cluster", "tpu-v4", "--gpus", "6144",
                               "--tp", "12", "--micro-batch", "4", "--global-batch", "2048", "--seq", "2048",
                               "--zero", "3", "--fsdp", "256", "--recompute", "full", "--framework", "maxtext"]
    static let palm = palmUnsliced + ["--slices", "2"]

    /// 6,144 chips as two slices (of 3,072: 12x16x16); the JSON echoes the shard group.
    @Test func palmPublishedLayoutEstimates() throws {
        let result = try CLIRunner.run(Self.palm + ["--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(try CLIRunner.json(result) as? [String: Any])
        let layout = try #require(json["layout"] as? [String: Any])
        #expect(layout["shard_group"] as? Int == 256 && layout["sequence_parallel"] as? Bool == true)
        let mfu = try #require(json["mfu"] as? Double)
        #expect(mfu > 0 && mfu < 1)
        let table = try CLIRunner.run(Self.palm)
        #expect(table.stdout.contains("palm-540b on 6144 x TPU v4 (tpu-v4, 2 slices of 12x16x16), maxtext"), "\(table.stdout)")
    }

    @Test(arguments: [
        ([], "--gpus 6144 is more than one tpu-v4 pod (4096 chips): pass --slices N"),
        (["--slices", "5"], "--slices 5 does not divide --gpus 6144"),
        (["--slices", "1"], "--gpus 6144 / --slices 1 = 6144 chips per slice: tpu-v4 offers no slice of 6144 chips"),
        (["--slices", "2", "--precision", "fp8"], "--precision fp8: TPU v4 has no fp8 tensor cores"),
        (["--slices", "2", "--fsdp", "100"], "--fsdp 100 does not divide dp x cp = 512"),
    ])
    func badInputIsOneLine(extra: [String], expected: String) throws {
        let result = try CLIRunner.run(Self.palmUnsliced + extra)
        #expect(result.status != 0)
        #expect(result.stderr.contains(expected), "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1)
    }

    /// Megatron's rule stays for Megatron frameworks: TP must divide the K/V heads.
    @Test func megatronKeepsItsKeyValueRule() throws {
        let args = Self.palm.map { $0 == "maxtext" ? "megatron-core" : $0 }
        let result = try CLIRunner.run(args)
        #expect(result.status != 0)
        #expect(result.stderr.contains("--tp 12 does not divide 1 key/value heads"))
    }

    /// `--emit maxtext` prints the MaxText overrides of the best plan.
    @Test func planEmitsMaxTextKeys() throws {
        let result = try CLIRunner.run(["plan", "--model", "palm-540b", "--cluster", "tpu-v4", "--gpus", "6144",
                                        "--slices", "2", "--global-batch", "2048", "--seq", "2048", "--framework", "maxtext", "--tp", "12",
                                        "--fsdp", "256", "--recompute", "full", "--top", "1", "--emit", "maxtext"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("dcn_data_parallelism=2 "))
        #expect(result.stdout.contains("ici_fsdp_parallelism=256 ") && result.stdout.contains("ici_tensor_parallelism=12 "))
    }
}

import Foundation
import Testing

/// `loom size --cluster C --gpus N`: the loss-optimal size built as a Llama 3-shaped model, planned.
@Suite struct SizePlanCLITests {
    /// Chinchilla's budget (5.76e23 FLOPs) gives 72.2B parameters on 1.33T tokens (Besiroglu et al.'s
    /// law, SizeCommandTests). The family's hidden sizes are multiples of 1,024; 9,216 with 65 layers
    /// is the shape nearest width / depth = 128 (9,216 / 65 = 142; 8,192 would need 80 layers: 102).
    /// Its parameters by hand: per layer, attention 9,216 x (9,216 + 2 x 8 x 128) + 9,216^2 =
    /// 188,743,680, SwiGLU 3 x 9,216 x 32,256 = 891,813,888, two norms 18,432: 1,080,576,000;
    /// x 65 = 70,237,440,000; embeddings and head 2 x 128,256 x 9,216 = 2,363,990,016; final norm
    /// 9,216: 72,601,439,232 + 24,576 (the q/k/v/o shapes as written; total 72,601,463,808).
    @Test func chinchillaBudgetIsPlannedAsA72BModel() throws {
        let result = try CLIRunner.run(["size", "--flops", "5.76e23", "--cluster", "dgx-h100", "--gpus", "1024",
                                        "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(try CLIRunner.json(result) as? [String: Any])
        let optimal = try #require(json["optimal"] as? [String: Any])
        let plan = try #require(json["plan"] as? [String: Any])
        let model = try #require(plan["model"] as? [String: Any])
        #expect(model["hidden"] as? Int == 9216)
        #expect(model["layers"] as? Int == 65)
        #expect(model["heads"] as? Int == 72 && model["kv_heads"] as? Int == 8)
        #expect(model["ffn"] as? Int == 32256)
        let parameters = try #require(model["parameters"] as? Int)
        #expect(parameters == 72_601_463_808)
        // Within half a layer of the optimum.
        let target = try #require(optimal["parameters"] as? Double)
        #expect(abs(Double(parameters) - target) < 1_080_576_000 / 2)
        // The best plan, on 1,024 GPUs, trains on the optimal tokens.
        let estimate = try #require(plan["plan"] as? [String: Any])
        #expect((estimate["layout"] as? [String: Any])?["gpus"] as? Int == 1024)
        let time = try #require(estimate["time_to_train"] as? [String: Any])
        let tokens = try #require(optimal["tokens"] as? Double)
        #expect(time["tokens"] as? Double == tokens)
        let tokensPerS = try #require(estimate["tokens_per_s"] as? Double)
        #expect(abs((time["ideal_days"] as? Double ?? 0) * 86_400 * tokensPerS / tokens - 1) < 1e-12)
    }

    @Test func gpusNeedACluster() throws {
        let result = try CLIRunner.run(["size", "--flops", "5.76e23", "--gpus", "64"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("--cluster"))
        #expect(result.stderr.split(separator: "\n").count == 1)
    }
}

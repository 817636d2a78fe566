import Foundation
import Testing

/// `loom size` against Chinchilla's budget (Hoffmann et al. 2022) and the Besiroglu et al. 2024 refit.
@Suite struct SizeCommandTests {
    @Test func gopherBudgetGivesAboutSeventyBillionParametersWithTheRefit() throws {
        let result = try CLIRunner.run(["size", "--flops", "5.76e23"])
        #expect(result.status == 0, "\(result.stderr)")
        // Closed form by hand (ScalingLawsTests): 72.2B parameters on 1.33T tokens, loss 1.974;
        // the 20-tokens rule: sqrt(5.76e23 / 120) = 69.3B on 1.39T.
        let optimal = try #require(result.stdout.split(separator: "\n").first { $0.hasPrefix("loss-optimal") })
        #expect(optimal.contains("72.2B") && optimal.contains("1.33T") && optimal.contains("1.974"))
        let rule = try #require(result.stdout.split(separator: "\n").first { $0.hasPrefix("20 tokens/parameter") })
        #expect(rule.contains("69.3B") && rule.contains("1.39T"))
        #expect(result.stdout.contains("Besiroglu et al. 2024"))
        #expect(result.stderr.isEmpty)
    }

    @Test func jsonWithChinchillasPrintedCoefficients() throws {
        let result = try CLIRunner.run(["size", "--flops", "5.76e23", "--law", "chinchilla", "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let document = try #require(try CLIRunner.json(result) as? [String: Any])
        let optimal = try #require(document["optimal"] as? [String: Any])
        // G = (0.34 x 406.4 / (0.28 x 410.7))^(1/0.62) = 1.345; N = 1.345 x (9.6e22)^0.4516 = 32.2B.
        let parameters = try #require(optimal["parameters"] as? Double)
        #expect(abs(parameters / 32.19e9 - 1) < 0.001)
        let tokens = try #require(optimal["tokens"] as? Double)
        #expect(abs(6 * parameters * tokens / 5.76e23 - 1) < 1e-9)
        let law = try #require(document["law"] as? [String: Any])
        #expect(law["name"] as? String == "chinchilla")
        #expect(law["alpha"] as? Double == 0.34)
        #expect((document["budget"] as? [String: Any])?["flops"] as? Double == 5.76e23)
        #expect(document["rule"] is [String: Any])
    }

    @Test func gpuHoursUseTheClusterPeakAndStateTheMFU() throws {
        // 1e6 H100-hours x 3600 s x 989.4e12 FLOP/s x 0.40 = 1.4248e24 FLOPs.
        let result = try CLIRunner.run(["size", "--gpu-hours", "1e6", "--cluster", "dgx-h100", "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let document = try #require(try CLIRunner.json(result) as? [String: Any])
        let budget = try #require(document["budget"] as? [String: Any])
        #expect(abs((budget["flops"] as? Double ?? 0) / 1.42474e24 - 1) < 1e-5)
        #expect(budget["mfu"] as? Double == 0.4)
        #expect(budget["peak_bf16_tflops"] as? Double == 989.4)
        let table = try CLIRunner.run(["size", "--gpu-hours", "1e6", "--cluster", "dgx-h100", "--mfu", "0.5"])
        #expect(table.status == 0)
        #expect(table.stdout.contains("50% MFU (assumed)"))
        #expect(table.stdout.contains("1.78e+24 FLOPs"))
    }

    @Test func inferenceTokensAddASmallerModelOfTheSameLoss() throws {
        let result = try CLIRunner.run(["size", "--flops", "5.76e23", "--inference-tokens", "2T", "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let document = try #require(try CLIRunner.json(result) as? [String: Any])
        let optimal = try #require(document["optimal"] as? [String: Any])
        let aware = try #require(document["inference_aware"] as? [String: Any])
        let size = try #require(aware["size"] as? [String: Any])
        #expect(aware["inference_tokens"] as? Double == 2e12)
        // Same loss, fewer parameters, fewer lifetime FLOPs (the loss-optimal model's lifetime FLOPs:
        // 5.76e23 + 2 x 72.25e9 x 2e12 = 8.65e23).
        #expect(abs((size["loss"] as? Double ?? 0) - (optimal["loss"] as? Double ?? 1)) < 1e-9)
        #expect((size["parameters"] as? Double ?? .infinity) < (optimal["parameters"] as? Double ?? 0))
        #expect(abs((aware["optimal_lifetime_flops"] as? Double ?? 0) / 8.65e23 - 1) < 0.001)
        #expect((aware["lifetime_flops"] as? Double ?? .infinity) < (aware["optimal_lifetime_flops"] as? Double ?? 0))
        let table = try CLIRunner.run(["size", "--flops", "5.76e23", "--inference-tokens", "2T"])
        #expect(table.stdout.contains("inference-aware (2T served)"))
        #expect(table.stdout.contains("less; same loss"))
    }

    @Test func badInputIsOneLineAndNonZero() throws {
        let cases: [([String], String)] = [
            (["--flops", "1"], "too small for any model"),
            (["--flops", "0"], "compute budget (FLOPs) is 0.0"),
            (["--flops=-5e20"], "compute budget (FLOPs) is -5e+20"),
            (["--flops", "nan"], "is nan"),
            (["--flops", "abc"], "'abc'"),
            ([], "give a budget"),
            (["--flops", "1e22", "--gpu-hours", "10", "--cluster", "dgx-h100"], "not both"),
            (["--gpu-hours", "1000"], "needs --cluster"),
            (["--gpu-hours", "0", "--cluster", "dgx-h100"], "--gpu-hours is 0.0"),
            (["--gpu-hours", "1000", "--cluster", "dgx-h100", "--mfu", "1.5"], "--mfu is 1.5"),
            (["--gpu-hours", "1000", "--cluster", "no-such-cluster"], "no-such-cluster"),
            (["--flops", "1e22", "--law", "kaplan"], "unknown scaling law 'kaplan'"),
            (["--flops", "1e22", "--inference-tokens", "15Q"], "token count '15Q'"),
            (["--flops", "1e22", "--inference-tokens=-2T"], "token count '-2T'"),
        ]
        for (arguments, fragment) in cases {
            let result = try CLIRunner.run(["size"] + arguments)
            #expect(result.status != 0, "\(arguments)")
            #expect(result.stderr.split(separator: "\n").count == 1, "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains(fragment), "\(arguments): \(result.stderr)")
            #expect(result.stdout.isEmpty, "\(arguments)")
        }
    }

    @Test func helpHasExamples() throws {
        let result = try CLIRunner.run(["size", "--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("Examples"))
        #expect(result.stdout.contains("--gpu-hours"))
    }
}

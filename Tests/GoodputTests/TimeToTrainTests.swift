import Foundation
import Goodput
import Testing

@Suite struct TimeToTrainTests {
    @Test func llama3SizedRunTakesIdealTimeOverGoodput() throws {
        // 15T tokens at 3.0M tokens/s on 16,384 GPUs: 5.0e6 s = 57.87 days without failures.
        let settings = GoodputTests.llamaSettings(.asynchronous(blockingSeconds: 10))
        let t = try TimeToTrain.compute(tokens: 15e12, tokensPerSecond: 3e6, accelerators: 16_384,
                                        checkpointBytes: GoodputTests.checkpointBytes, settings: settings,
                                        pricePerAcceleratorHour: 2)
        #expect(abs(t.idealDays - 5e6 / 86_400) < 1e-9)
        #expect(abs(t.expectedDays - t.idealDays / 0.8838) < 0.05)
        // GPU-hours: 5e6 s x 16,384 / 3600 = 22.76M; cost at 2 per GPU-hour = 45.5M.
        #expect(abs(t.idealAcceleratorHours - 5e6 * 16_384 / 3600) < 1e-3)
        #expect(abs((t.idealCost ?? 0) - 2 * 5e6 * 16_384 / 3600) < 1e-3)
        #expect(abs((t.expectedCost ?? 0) / (t.idealCost ?? 1) - 1 / t.goodput) < 1e-12)
        // Interruptions: expected wall time / 11,135 s; 65.5 days x 24 / 3.093 h = about 508.
        #expect(abs(t.expectedInterruptions - t.expectedSeconds / t.breakdown.mtbfSeconds) < 1e-9)
        #expect(abs(t.expectedInterruptions - 508) < 2)
        #expect(t.checkpointIntervalSeconds == t.breakdown.intervalSeconds)
    }

    @Test func llama3_405BEndToEnd() throws {
        // Inputs from Dubey et al. 2024: 405B parameters on 15.6T tokens (section 3.1), 16,384 H100s at
        // 38-43% bf16 MFU (table 4; 40% here, 989.4 TFLOP/s dense peak), storage sustaining 2 TB/s
        // (section 3.3.1). Checkpoint: 405e9 x (2 bf16 + 12 fp32 Adam) bytes = 5.67 TB, a 2.835 s
        // blocking write. Recovery: the defaults (10 min detection + 5 min restart) + the 2.8 s reload.
        // By hand: tokens/s = 16,384 x 989.4e12 x 0.40 / (6 x 405e9) = 2.668M; ideal 5.846e6 s = 67.7 days,
        // 26.61M GPU-hours. Daly: tau = 249.4 s; goodput = 249.4 / (11,135 x e^(902.8/11,135) x
        // (e^(252.2/11,135) - 1)) = 0.9015 (Meta: "more than 90% effective training time"); 29.52M
        // GPU-hours against the 30.84M of the Llama 3.1 model card (which also counts the smaller-scale
        // phases), 75.1 days, 582 interruptions.
        let settings = RecoverySettings(writeBandwidthBytesPerSecond: 2e12)
        let tokensPerSecond = 16_384 * 989.4e12 * 0.40 / (6 * 405e9)
        let t = try TimeToTrain.compute(tokens: 15.6e12, tokensPerSecond: tokensPerSecond, accelerators: 16_384,
                                        checkpointBytes: 405e9 * 14, settings: settings)
        #expect(abs(t.idealDays - 67.67) < 0.01)
        #expect(abs(t.idealAcceleratorHours / 26.607e6 - 1) < 0.001)
        #expect(abs(t.goodput - 0.9015) < 0.0005)
        #expect(abs(t.expectedAcceleratorHours / 29.515e6 - 1) < 0.001)
        #expect(abs(t.expectedAcceleratorHours / 30.84e6 - 1) < 0.10)
        #expect(abs(t.expectedDays - 75.06) < 0.05)
        #expect(abs(t.expectedInterruptions - 582.4) < 0.5)
    }

    @Test func badTokensAndThroughputAreRejected() {
        let settings = GoodputTests.llamaSettings()
        for (tokens, tps, fragment) in [(0.0, 1e6, "training tokens is 0.0"), (-1, 1e6, "training tokens is -1.0"),
                                        (1e12, 0, "throughput (tokens/s) is 0.0"), (.nan, 1e6, "training tokens is nan")] {
            #expect {
                try TimeToTrain.compute(tokens: tokens, tokensPerSecond: tps, accelerators: 8, checkpointBytes: 1e9,
                                        settings: settings)
            } throws: { "\($0)".contains(fragment) }
        }
    }

    @Test func aJobThatFailsFasterThanItRecoversIsAnError() {
        // 10 million GPUs at the Llama 3 rate fail every 18 s; a blocking 300 s checkpoint never completes.
        #expect {
            try TimeToTrain.compute(tokens: 1e12, tokensPerSecond: 1e6, accelerators: 10_000_000,
                                    checkpointBytes: GoodputTests.checkpointBytes, settings: GoodputTests.llamaSettings())
        } throws: { "\($0)".contains("goodput is") }
    }
}

@Suite struct TokenCountTests {
    @Test func suffixesAndScientificNotation() throws {
        #expect(try TokenCount.parse("15T") == 15e12)
        #expect(try TokenCount.parse("300B") == 300e9)
        #expect(try TokenCount.parse("300b") == 300e9)
        #expect(try TokenCount.parse("1.5M") == 1.5e6)
        #expect(try TokenCount.parse("10K") == 1e4)
        #expect(try TokenCount.parse("2.5e12") == 2.5e12)
        #expect(try TokenCount.parse("15000000") == 15e6)
    }

    @Test func unknownSuffixOrGarbageNamesTheValue() {
        #expect { try TokenCount.parse("15Q") } throws: {
            let text = "\($0)"
            return text.contains("'15Q'") && text.contains("unknown suffix 'Q'")
        }
        for bad in ["", "T", "abc", "1.2.3T", "0", "-5B", "inf"] {
            #expect(throws: GoodputError.self, "\(bad)") { try TokenCount.parse(bad) }
        }
    }
}

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

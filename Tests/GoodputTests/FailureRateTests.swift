import Foundation
import Goodput
import Testing

/// The Llama 3 failure rate (Dubey et al. 2024, section 3.3.4 and table 5) and its scaling with
/// the accelerator count.
@Suite struct FailureRateTests {
    @Test func llama3TableAddsUpTo419Interruptions() {
        let rate = FailureRate.llama3
        #expect(rate.components.reduce(0) { $0 + $1.interruptions } == 419)
        #expect(rate.components.count == 18)
        // 419 / (16,384 GPUs x 54 days x 24 h) = 419 / 21,233,664 = 1.9733e-5 per GPU-hour.
        #expect(abs(rate.perAcceleratorHour / 1.9733e-5 - 1) < 1e-4)
        // GPU 268 + Network 35 + Host 21 = 324 of 419 = 77.3% hardware; the paper: "about 78%".
        #expect(abs(rate.hardwareShare - 324.0 / 419.0) < 1e-12)
        #expect(abs(rate.hardwareShare - 0.78) < 0.01)
        // Faulty GPUs alone: 148 of 419 interruptions.
        let gpu = rate.componentRates().first { $0.component.name == "Faulty GPU" }
        #expect(gpu.map { abs($0.perAcceleratorHour / (148.0 / 21_233_664) - 1) < 1e-9 } == true)
    }

    @Test func sixteenThousandGPUsAreInterruptedEveryThreeHours() throws {
        // The paper: "an average of one failure every three hours"; 21,233,664 / 16,384 / 419 h = 3.09 h.
        let mtbf = try FailureRate.llama3.jobMTBFSeconds(accelerators: 16_384)
        #expect(abs(mtbf / 3600 - 3.093) < 0.001)
        #expect(abs(mtbf / 3600 - 3.1) < 0.1)
    }

    @Test func twiceTheAcceleratorsFailTwiceAsOften() throws {
        let one = try FailureRate.llama3.jobMTBFSeconds(accelerators: 1024)
        let two = try FailureRate.llama3.jobMTBFSeconds(accelerators: 2048)
        #expect(abs(one / two - 2) < 1e-12)
    }

    @Test func bloomsReportedFailureRateMatchesLlama3s() throws {
        // BLOOM-176B on 384 A100s saw 1-2 GPU failures a week (BigScience, Le Scao et al. 2022).
        // At the Llama 3 rate: 384 x 168 h x 1.9733e-5 = 1.27 a week.
        let perWeek = 7 * 24 * 3600 / (try FailureRate.llama3.jobMTBFSeconds(accelerators: 384))
        #expect(abs(perWeek - 1.273) < 0.001)
        #expect((1.0...2.0).contains(perWeek))
    }

    @Test func mtbfGivesTheRatePerAccelerator() throws {
        let rate = try FailureRate.fromMTBF(hours: 10, accelerators: 1000)
        #expect(abs(rate.perAcceleratorHour - 1e-4) < 1e-18)
        #expect(abs(try rate.jobMTBFSeconds(accelerators: 1000) - 36_000) < 1e-6)
    }

    @Test func zeroOrNegativeRatesAreRejectedByName() {
        for bad in [0.0, -1e-5, .nan, .infinity] {
            #expect { try FailureRate(perAcceleratorHour: bad, source: "test") } throws: {
                "\($0)".contains("failure rate per accelerator-hour is \(bad), must be a positive")
            }
        }
        #expect(throws: GoodputError.self) { try FailureRate.fromMTBF(hours: 0, accelerators: 8) }
        #expect(throws: GoodputError.self) { try FailureRate.llama3.jobMTBFSeconds(accelerators: 0) }
    }
}

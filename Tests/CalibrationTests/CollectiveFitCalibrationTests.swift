import Calibration
import CostModel
import Foundation
import Hardware
import Testing

/// The calibrated topology (entries, tier fields, provenance) and the link-rate model.
@Suite struct CollectiveFitCalibrationTests {
    @Test func topologyKeepsTheBaseAndRecordsWhereTheNumbersCameFrom() throws {
        let base = dgxA100()
        let run = SyntheticBench.run(.allReduce, ranks: 2, hosts: 2, alphaUs: 7, busGBps: 2.5)
        let result = try Calibration.calibrate(runs: [run], base: base, name: "my-cluster")
        let topology = result.topology
        #expect(topology.name == "my-cluster")
        #expect(topology.accelerator == base.accelerator)
        #expect(topology.node.scaleUp == base.node.scaleUp)
        #expect(topology.calibration == [CollectiveCalibration(collective: "allreduce", tier: "scale_out", ranks: 2,
                                                               alphaUs: result.entries[0].alphaUs,
                                                               betaUsPerByte: result.entries[0].betaUsPerByte)])
        // The tier's own fields now say what the fit says (used by collectives not measured).
        #expect(abs(topology.scaleOut.latencyUs / 7 - 1) < 1e-6)
        #expect(abs(topology.scaleOut.effectiveBytesPerSecond / 2.5e9 - 1) < 1e-6)
        let provenance = try #require(topology.provenance)
        for fragment in ["scale_out", "allreduce 2 ranks", "host0 host1", "2026-11-22T00:00:00Z", "Open MPI v4.1.4",
                         "Huber", "time_us.avg", "Base: dgx-a100-80gb"] {
            #expect(provenance.contains(fragment), "\(fragment) missing from \(provenance)")
        }
        #expect(!provenance.contains("\n"))
        // It survives the YAML round trip estimate/plan/report read it through.
        let reloaded = try TopologyLoader.parse(topology.yamlString())
        #expect(reloaded == topology)
    }

    @Test func recalibratingReplacesOnlyTheSameEntries() throws {
        let first = try Calibration.calibrate(
            runs: [SyntheticBench.run(.allReduce, alphaUs: 1, busGBps: 10),
                   SyntheticBench.run(.allGather, hosts: 2, alphaUs: 9, busGBps: 1)],
            base: dgxA100(), name: "first").topology
        let second = try Calibration.calibrate(runs: [SyntheticBench.run(.allReduce, alphaUs: 2, busGBps: 20)],
                                               base: first, name: "second").topology
        #expect(second.calibration.count == 2)
        let allReduce = try #require(second.calibration.first { $0.collective == "allreduce" })
        #expect(abs(allReduce.alphaUs - 2) < 1e-6)
        #expect(second.calibration.contains { $0.collective == "allgather" && $0.tier == "scale_out" })
    }

    /// beta = beta0 + 8 / (efficiency x rate), one alpha: runs at two rates predict a third exactly.
    @Test func linkRateModelPredictsAThirdRate() throws {
        func busGBps(_ rate: LinkRate) -> Double {
            let beta = 0.0002 + 8e6 / (0.9 * rate.bitsPerSecond)     // microseconds per byte
            return 1e-3 / beta
        }
        func alpha(_ rate: LinkRate) -> Double { 30 }
        let rates = try ["100mbit", "400mbit"].map { try #require(LinkRate(parsing: $0)) }
        let target = try #require(LinkRate(parsing: "200mbit"))
        let runs = rates.map { SyntheticBench.run(.allReduce, hosts: 2, alphaUs: alpha($0), busGBps: busGBps($0),
                                                  file: "\($0).json") }
        let options = CalibrationOptions(linkRates: rates, targetRate: target)
        let result = try Calibration.calibrate(runs: runs, base: dgxA100(), name: "net", options: options)
        let model = try #require(result.rateModels.first)
        #expect(abs(model.wireEfficiency - 0.9) < 1e-6)
        #expect(abs(model.beta0UsPerByte - 0.0002) < 1e-9 && abs(model.alphaUs - 30) < 1e-6)
        #expect(model.medianAbsError < 1e-6 && model.rates == [1e8, 4e8])
        let entry = try #require(result.entries.first)
        #expect(abs(entry.alphaUs / alpha(target) - 1) < 1e-6)
        #expect(abs(1e-3 / entry.betaUsPerByte / busGBps(target) - 1) < 1e-6)
        // The tier is the target link, at the efficiency measured.
        #expect(abs(result.topology.scaleOut.bandwidthGBps - target.gigabytesPerSecond) < 1e-12)
        #expect(result.topology.scaleOut.busEfficiency < 0.9)
        let predicted = SyntheticBench.run(.allReduce, hosts: 2, alphaUs: alpha(target), busGBps: busGBps(target))
        let comparison = try CollectiveComparison.compare(runs: [predicted], cluster: result.topology)
        #expect(comparison.medianAbsError < 1e-6)
    }

    @Test func linkRatesParseAsTcWritesThem() {
        #expect(LinkRate(parsing: "100mbit")?.bitsPerSecond == 1e8)
        #expect(LinkRate(parsing: "2.5Gbit")?.bitsPerSecond == 2.5e9)
        #expect(LinkRate(parsing: "400kbit")?.bitsPerSecond == 4e5)
        #expect(LinkRate(parsing: "1e6")?.bitsPerSecond == 1e6)
        for bad in ["", "fast", "-1mbit", "0gbit", "nanmbit", "1e400bit", "mbit"] {
            #expect(LinkRate(parsing: bad) == nil, "\(bad)")
        }
        #expect(LinkRate(bitsPerSecond: 2e8).description == "200mbit")
    }

    @Test func rateOptionsMustAddUp() throws {
        let runs = [SyntheticBench.run(.allReduce, hosts: 2, alphaUs: 1, busGBps: 1),
                    SyntheticBench.run(.allReduce, hosts: 2, alphaUs: 1, busGBps: 2)]
        let rate = try #require(LinkRate(parsing: "100mbit"))
        let other = try #require(LinkRate(parsing: "200mbit"))
        let cases: [(CalibrationOptions, String)] = [
            (CalibrationOptions(linkRates: [rate]), "1 rate(s) for 2 benchmark file(s)"),
            (CalibrationOptions(targetRate: rate), "needs --link-rate"),
            (CalibrationOptions(linkRates: [rate, other]), "give --target-rate"),
        ]
        for (options, expected) in cases {
            let error = #expect(throws: CalibrationError.self) {
                try Calibration.calibrate(runs: runs, base: dgxA100(), name: "x", options: options)
            }
            let line = error.map { "\($0)" } ?? ""
            #expect(line.contains(expected) && !line.contains("\n"), "\(line)")
        }
        let single = CalibrationOptions(linkRates: [rate], targetRate: other)
        #expect(throws: CalibrationError.self) {
            try Calibration.calibrate(runs: [runs[0]], base: dgxA100(), name: "x", options: single)
        }
    }

    @Test func mixedRankCountsAreRejected() {
        let runs = [SyntheticBench.run(.allReduce, ranks: 2, alphaUs: 1, busGBps: 1, file: "two.json"),
                    SyntheticBench.run(.allReduce, ranks: 4, alphaUs: 1, busGBps: 1, file: "four.json")]
        let error = #expect(throws: CalibrationError.self) { try Calibration.calibrate(runs: runs, base: dgxA100(), name: "x") }
        let text = error.map { "\($0)" } ?? ""
        #expect(text.contains("mixed rank counts") && text.contains("two.json") && text.contains("four.json"), "\(text)")
    }
}

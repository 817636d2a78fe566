import Foundation
import Testing
@testable import Hardware

/// The time-to-train fields of a topology: `checkpoint_bandwidth_gbps` and
/// `failure_rate_per_accelerator_hour` (both optional, both > 0).
@Suite struct CheckpointFieldsTests {
    @Test func absentByDefault() throws {
        let topology = try TopologyLoader.parse(Fixture.minimalYAML)
        #expect(topology.checkpointBandwidthGBps == nil)
        #expect(topology.failureRatePerAcceleratorHour == nil)
    }

    @Test func readAndWrittenBack() throws {
        let yaml = Fixture.minimalYAML + "checkpoint_bandwidth_gbps: 2.5\nfailure_rate_per_accelerator_hour: 1.0e-5\n"
        let topology = try TopologyLoader.parse(yaml)
        #expect(topology.checkpointBandwidthGBps == 2.5)
        #expect(topology.failureRatePerAcceleratorHour == 1e-5)
        let again = try TopologyLoader.parse(topology.yamlString())
        #expect(again == topology)
    }

    @Test(arguments: ["checkpoint_bandwidth_gbps: 0", "checkpoint_bandwidth_gbps: -1",
                      "failure_rate_per_accelerator_hour: 0", "failure_rate_per_accelerator_hour: -2e-5"])
    func zeroOrNegativeIsOneLineNamingTheField(_ line: String) throws {
        let error = expectTopologyError { try TopologyLoader.parse(Fixture.minimalYAML + line + "\n", file: "bad.yaml") }
        let field = String(line.split(separator: ":")[0])
        #expect(error?.description.contains(field) == true, "\(String(describing: error))")
    }
}

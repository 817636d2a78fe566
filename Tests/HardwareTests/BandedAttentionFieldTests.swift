import Testing
@testable import Hardware

/// `accelerator.banded_attention_efficiency`: optional, a fraction in (0, 1], read and written
/// back; the Blackwell files state cuDNN's measured 128-key band rate, Hopper's none.
@Suite struct BandedAttentionFieldTests {
    @Test func absentByDefaultReadAndWrittenBack() throws {
        #expect(try TopologyLoader.parse(Fixture.minimalYAML).accelerator.bandedAttentionEfficiency == nil)
        let yaml = Fixture.minimal(replacing: "attention_efficiency",
                                   with: "attention_efficiency: 0.5\n  banded_attention_efficiency: 0.07")
        let topology = try TopologyLoader.parse(yaml)
        #expect(topology.accelerator.bandedAttentionEfficiency == 0.07)
        #expect(try TopologyLoader.parse(topology.yamlString()) == topology)
    }

    @Test(arguments: ["0", "1.5", "-0.1"])
    func outsideAFractionIsOneLineNamingTheField(_ value: String) throws {
        let yaml = Fixture.minimal(replacing: "attention_efficiency",
                                   with: "attention_efficiency: 0.5\n  banded_attention_efficiency: \(value)")
        let error = expectTopologyError { try TopologyLoader.parse(yaml, file: "bad.yaml") }
        #expect(error?.description.contains("banded_attention_efficiency") == true, "\(String(describing: error))")
    }

    /// GB200: 3.5 x 34.36 GFLOP / (2,500 TFLOP/s x 0.675 ms) = 0.071 (cuDNN-frontend's GPT-OSS
    /// SDPA benchmark on GB200); GB300: 0.644 ms, 0.075.
    @Test func blackwellFilesStateTheMeasuredBand() throws {
        #expect(try TopologyCatalog.load("gb200-nvl72").accelerator.bandedAttentionEfficiency == 0.071)
        #expect(try TopologyCatalog.load("gb300-nvl72").accelerator.bandedAttentionEfficiency == 0.075)
        #expect(try TopologyCatalog.load("dgx-h100").accelerator.bandedAttentionEfficiency == nil)
        let bandWork: Double = 3.5 * 2 * 256 * 4096 * 128 * 128
        let gb200: Double = bandWork / (2500e12 * 0.675e-3)
        let gb300: Double = bandWork / (2500e12 * 0.644e-3)
        #expect(abs(gb200 - 0.071) < 0.0005 && abs(gb300 - 0.075) < 0.0005)
    }
}

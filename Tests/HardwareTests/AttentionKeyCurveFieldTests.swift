import Testing
@testable import Hardware

/// `accelerator.attention_key_curve`: optional, one of hopper / blackwell / blackwell-ultra, read
/// and written back; the Blackwell files name their own cuDNN curve and state its 32,768-key rate.
@Suite struct AttentionKeyCurveFieldTests {
    @Test func absentByDefaultReadAndWrittenBack() throws {
        #expect(try TopologyLoader.parse(Fixture.minimalYAML).accelerator.attentionKeyCurve == nil)
        let yaml = Fixture.minimal(replacing: "attention_efficiency",
                                   with: "attention_efficiency: 0.5\n  attention_key_curve: blackwell-ultra")
        let topology = try TopologyLoader.parse(yaml)
        #expect(topology.accelerator.attentionKeyCurve == .blackwellUltra)
        #expect(try TopologyLoader.parse(topology.yamlString()) == topology)
    }

    @Test func anUnknownCurveIsOneLineNamingTheFieldAndTheChoices() throws {
        let yaml = Fixture.minimal(replacing: "attention_efficiency",
                                   with: "attention_efficiency: 0.5\n  attention_key_curve: rubin")
        let error = expectTopologyError { try TopologyLoader.parse(yaml, file: "bad.yaml") }
        let text = error?.description ?? ""
        #expect(text.contains("attention_key_curve") && text.contains("hopper, ampere, blackwell, blackwell-ultra"), "\(text)")
    }

    /// cuDNN 9.22 SDPA, causal, d = 128, 32,768 keys (cudnn-frontend @3929da2): GB200 forward
    /// 1622 and backward 1226 TFLOP/s, GB300 1953 and 1490, over forward + 2.5 x forward FLOPs at
    /// the 2,500 TFLOP/s bf16 peak: 3.5 / (2500/1622 + 2.5 x 2500/1226) = 0.5272 and
    /// 3.5 / (2500/1953 + 2.5 x 2500/1490) = 0.6393. B200 and B300 take their GB parts' values.
    @Test func blackwellFilesStateTheirMeasuredCurve() throws {
        let gb200 = 3.5 / (2500.0 / 1622 + 2.5 * 2500 / 1226)
        let gb300 = 3.5 / (2500.0 / 1953 + 2.5 * 2500 / 1490)
        #expect(abs(gb200 - 0.527) < 0.0005 && abs(gb300 - 0.639) < 0.0005)
        for (file, efficiency, curve) in [("gb200-nvl72", 0.527, AttentionKeyCurve.blackwell), ("dgx-b200", 0.527, .blackwell),
                                          ("gb300-nvl72", 0.639, .blackwellUltra), ("dgx-b300", 0.639, .blackwellUltra)] {
            let accelerator = try TopologyCatalog.load(file).accelerator
            #expect(accelerator.attentionEfficiency == efficiency, "\(file)")
            #expect(accelerator.attentionKeyCurve == curve, "\(file)")
        }
        #expect(try TopologyCatalog.load("dgx-h100").accelerator.attentionKeyCurve == nil)
    }
}

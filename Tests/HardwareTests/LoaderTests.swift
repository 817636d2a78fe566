import Foundation
import Testing
@testable import Hardware

@Suite struct LoaderTests {
    @Test func minimalFileLoads() throws {
        let topology = try TopologyLoader.parse(Fixture.minimalYAML, file: "tiny.yaml")
        #expect(topology.name == "tiny")
        #expect(topology.accelerator.peakTFLOPS.bf16 == 40)
        #expect(topology.node.accelerators == 4)
        #expect(topology.node.scaleUp.oversubscription == 1)   // default
        #expect(topology.scaleOut.oversubscription == 2)
        #expect(topology.maxNodes == 16)
        #expect(topology.calibration.isEmpty)
        #expect(topology.provenance == nil)
    }

    @Test(arguments: Fixture.presetNames)
    func presetsRoundTripThroughYAML(_ name: String) throws {
        let topology = try Fixture.preset(name)
        let again = try TopologyLoader.parse(topology.yamlString(), file: "\(name) (emitted)")
        #expect(again == topology)
    }

    @Test func calibrationAndAwkwardStringsRoundTrip() throws {
        var topology = try TopologyLoader.parse(Fixture.minimalYAML)
        topology.description = "quotes \" backslash \\ colon: hash # tab\t newline\n unicode é → ✓"
        topology.provenance = "loom calibrate --bench run.json (2 nodes)"
        topology.maxNodes = nil
        topology.calibration = [
            CollectiveCalibration(collective: "allreduce", tier: "scale_up", ranks: 8, alphaUs: 6.25,
                                  betaUsPerByte: 4.1e-6),
            CollectiveCalibration(collective: "allgather", tier: "scale_out", ranks: 16, alphaUs: 12,
                                  betaUsPerByte: 2.0000000000000004e-5),
        ]
        topology.accelerator.matmulEfficiency = 0.1 + 0.2   // 0.30000000000000004
        let text = topology.yamlString()
        let again = try TopologyLoader.parse(text)
        #expect(again == topology)
        #expect(!text.contains("max_nodes"))
    }

    // MARK: Bad input

    @Test func missingFileNamesThePath() {
        let error = expectTopologyError { try TopologyLoader.load(path: "/nonexistent/nowhere.yaml") }
        #expect(error?.kind == .fileNotFound)
        #expect(error?.description.contains("/nonexistent/nowhere.yaml") == true)
    }

    @Test func malformedYAMLGivesFileAndLine() {
        let yaml = """
            name: broken
            accelerator:
              name: X
              peak_tflops: {fp32: 1, bf16: 2
              memory_gib: 3
            """
        let error = expectTopologyError { try TopologyLoader.parse(yaml, file: "broken.yaml") }
        #expect(error?.kind == .malformedYAML)
        #expect(error?.file == "broken.yaml")
        #expect(error?.line == 5)
        #expect(error?.description.hasPrefix("broken.yaml:5: malformed YAML") == true)
        #expect(error?.description.contains("\n") == false)
    }

    @Test func badIndentationIsMalformed() {
        let yaml = "name: a\n  description: b\n c: d\n"
        let error = expectTopologyError { try TopologyLoader.parse(yaml, file: "indent.yaml") }
        #expect(error?.kind == .malformedYAML)
        #expect(error?.line != nil)
    }

    @Test func emptyFileIsMalformed() {
        let error = expectTopologyError { try TopologyLoader.parse("# only a comment\n", file: "empty.yaml") }
        #expect(error?.kind == .malformedYAML)
    }

    @Test func missingKeyNamesTheKeyPathAndFile() {
        let yaml = Fixture.minimal(replacing: "memory_gib:", with: nil)
        let error = expectTopologyError { try TopologyLoader.parse(yaml, file: "tiny.yaml") }
        #expect(error?.kind == .missingKey)
        #expect(error?.field == "accelerator.memory_gib")
        #expect(error?.description.contains("tiny.yaml") == true)
        #expect(error?.description.contains("missing key accelerator.memory_gib") == true)
    }

    @Test func missingNestedTierKey() {
        let yaml = Fixture.minimal(replacing: "scale_up:",
                                   with: "scale_up: {name: link, bandwidth_gbps: 100, bus_efficiency: 0.8, topology: mesh}")
        let error = expectTopologyError { try TopologyLoader.parse(yaml, file: "tiny.yaml") }
        #expect(error?.field == "node.scale_up.latency_us")
        #expect(error?.line == 15)
    }

    @Test func emptyValueCountsAsMissing() {
        let yaml = Fixture.minimal(replacing: "memory_gib:", with: "memory_gib:")
        let error = expectTopologyError { try TopologyLoader.parse(yaml) }
        #expect(error?.kind == .missingKey)
        #expect(error?.field == "accelerator.memory_gib")
    }

    @Test func unknownKeySuggestsTheNearestOne() {
        let yaml = Fixture.minimal(replacing: "memory_gib:", with: "memory_gb: 16")
        let error = expectTopologyError { try TopologyLoader.parse(yaml, file: "tiny.yaml") }
        #expect(error?.kind == .unknownKey)
        #expect(error?.line == 6)
        #expect(error?.description.contains("accelerator.memory_gb") == true)
        #expect(error?.description.contains("did you mean memory_gib?") == true)
    }

    @Test func negativeBandwidthNamesTheField() {
        let yaml = Fixture.minimal(replacing: "bandwidth_gbps: 12.5", with: "bandwidth_gbps: -25")
        let error = expectTopologyError { try TopologyLoader.parse(yaml, file: "tiny.yaml") }
        #expect(error?.kind == .invalidValue)
        #expect(error?.field == "scale_out.bandwidth_gbps")
        #expect(error?.description == "tiny.yaml:18: scale_out.bandwidth_gbps is -25, must be positive")
    }

    @Test func efficiencyAboveOneIsRejected() {
        let yaml = Fixture.minimal(replacing: "memory_bandwidth_efficiency:", with: "memory_bandwidth_efficiency: 1.2")
        let error = expectTopologyError { try TopologyLoader.parse(yaml, file: "tiny.yaml") }
        #expect(error?.field == "accelerator.memory_bandwidth_efficiency")
        #expect(error?.description.hasSuffix("accelerator.memory_bandwidth_efficiency is 1.2, must be in (0, 1]") == true)
    }

    /// A GEMM efficiency is measured against the datasheet peak at the rated boost clock, which a
    /// GeForce board exceeds (RTX 3090: 76.7 of 71 TFLOP/s = 1.08): up to 1.25 loads, above it not.
    @Test func matmulEfficiencyMayExceedTheNominalPeakWithinTheBoostMargin() throws {
        let boosted = Fixture.minimal(replacing: "matmul_efficiency:", with: "matmul_efficiency: 1.08")
        #expect(try TopologyLoader.parse(boosted, file: "tiny.yaml").accelerator.matmulEfficiency == 1.08)
        let yaml = Fixture.minimal(replacing: "matmul_efficiency:", with: "matmul_efficiency: 1.3")
        let error = expectTopologyError { try TopologyLoader.parse(yaml, file: "tiny.yaml") }
        #expect(error?.description == "tiny.yaml:8: accelerator.matmul_efficiency is 1.3, must be in (0, 1.25]")
    }

    @Test func zeroAndNaNAreRejected() {
        let zero = expectTopologyError {
            try TopologyLoader.parse(Fixture.minimal(replacing: "memory_bandwidth_gbps:", with: "memory_bandwidth_gbps: 0"))
        }
        #expect(zero?.field == "accelerator.memory_bandwidth_gbps")
        #expect(zero?.description.contains("must be positive") == true)
        let nan = expectTopologyError {
            try TopologyLoader.parse(Fixture.minimal(replacing: "bus_efficiency: 0.9", with: "bus_efficiency: .nan"))
        }
        #expect(nan?.field == "scale_out.bus_efficiency")
        #expect(nan?.description.contains("finite") == true)
        let inf = expectTopologyError {
            try TopologyLoader.parse(Fixture.minimal(replacing: "memory_gib:", with: "memory_gib: .inf"))
        }
        #expect(inf?.field == "accelerator.memory_gib")
    }

    @Test func wrongTypesAreNamed() {
        let text = expectTopologyError {
            try TopologyLoader.parse(Fixture.minimal(replacing: "memory_gib:", with: "memory_gib: eighty"))
        }
        #expect(text?.kind == .wrongType)
        #expect(text?.description.contains("accelerator.memory_gib must be a number, got 'eighty'") == true)
        let fraction = expectTopologyError {
            try TopologyLoader.parse(Fixture.minimal(replacing: "accelerators:", with: "accelerators: 4.5"))
        }
        #expect(fraction?.field == "node.accelerators")
        let list = expectTopologyError {
            try TopologyLoader.parse(Fixture.minimal(replacing: "scale_up:", with: "scale_up: [1, 2]"))
        }
        #expect(list?.kind == .wrongType)
        #expect(list?.field == "node.scale_up")
        let topLevel = expectTopologyError { try TopologyLoader.parse("- a\n- b\n") }
        #expect(topLevel?.kind == .wrongType)
    }

    @Test func otherRangeChecks() {
        let nodes = expectTopologyError {
            try TopologyLoader.parse(Fixture.minimal(replacing: "accelerators:", with: "accelerators: 0"))
        }
        #expect(nodes?.field == "node.accelerators")
        let oversubscription = expectTopologyError {
            try TopologyLoader.parse(Fixture.minimal(replacing: "oversubscription:", with: "oversubscription: 0.5"))
        }
        #expect(oversubscription?.field == "scale_out.oversubscription")
        let reserved = expectTopologyError {
            try TopologyLoader.parse(Fixture.minimal(replacing: "reserved_memory_gib:", with: "reserved_memory_gib: 16"))
        }
        #expect(reserved?.field == "accelerator.reserved_memory_gib")
        let maxNodes = expectTopologyError {
            try TopologyLoader.parse(Fixture.minimal(replacing: "max_nodes:", with: "max_nodes: 0"))
        }
        #expect(maxNodes?.field == "max_nodes")
    }

    @Test func badCalibrationEntry() {
        let yaml = Fixture.minimalYAML + """
            calibration:
              - {collective: allreduce, tier: scale_up, ranks: 8, alpha_us: 5, beta_us_per_byte: 1e-6}
              - {collective: allreduce, tier: nvlink, ranks: 8, alpha_us: 5, beta_us_per_byte: 1e-6}

            """
        let error = expectTopologyError { try TopologyLoader.parse(yaml, file: "cal.yaml") }
        #expect(error?.field == "calibration[1].tier")
        #expect(error?.line == 26)
    }

    @Test func duplicateKeyIsRejected() {
        let yaml = Fixture.minimalYAML + "name: again\n"
        let error = expectTopologyError { try TopologyLoader.parse(yaml) }
        #expect(error?.description.contains("duplicate key name") == true)
    }

    @Test func validateCatchesProgrammaticMistakes() throws {
        var topology = try TopologyLoader.parse(Fixture.minimalYAML)
        try topology.validate()
        topology.node.scaleUp.busEfficiency = 0
        topology.accelerator.memoryBandwidthEfficiency = 1.5
        let problems = topology.validationProblems()
        #expect(problems.compactMap(\.field) == ["accelerator.memory_bandwidth_efficiency",
                                                 "node.scale_up.bus_efficiency"])
        #expect(throws: TopologyError.self) { try topology.validate() }
    }
}

/// Runs `body`, expecting a `TopologyError`; records an issue otherwise.
func expectTopologyError(_ body: () throws -> Any, sourceLocation: SourceLocation = #_sourceLocation) -> TopologyError? {
    do {
        _ = try body()
        Issue.record("expected a TopologyError, got success", sourceLocation: sourceLocation)
    } catch let error as TopologyError {
        #expect(!error.description.contains("\n"), sourceLocation: sourceLocation)
        return error
    } catch {
        Issue.record("expected a TopologyError, got \(error)", sourceLocation: sourceLocation)
    }
    return nil
}

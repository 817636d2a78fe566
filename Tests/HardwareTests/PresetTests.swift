import Foundation
import Testing
@testable import Hardware

@Suite struct PresetTests {
    @Test func everyPresetIsShippedAndNothingElse() throws {
        let names = Fixture.presetCatalog.names()
        #expect(names == Fixture.presetNames)
    }

    @Test(arguments: Fixture.presetNames)
    func presetLoadsValidatesAndIsNamedLikeItsFile(_ name: String) throws {
        let topology = try Fixture.preset(name)
        try topology.validate()
        #expect(topology.name == name)
        #expect(!topology.description.isEmpty)
        #expect(topology.calibration.isEmpty)
        #expect(topology.provenance != nil)
    }

    @Test func listingHasEveryPresetAndNoProblems() {
        let listing = Fixture.presetCatalog.all()
        #expect(listing.problems.isEmpty, "\(listing.problems.map(\.description))")
        #expect(listing.entries.map(\.name) == Fixture.presetNames)
        #expect(listing.entries.allSatisfy { $0.directory.origin == "repository" })
    }

    /// Every line that sets a number carries a comment, on the line or on the comment lines just
    /// above it (Topologies/README.md: every number names its source).
    @Test(arguments: Fixture.presetNames)
    func everyNumberHasASourceComment(_ name: String) throws {
        let text = try String(contentsOf: Fixture.topologies.appendingPathComponent("\(name).yaml"), encoding: .utf8)
        let lines = text.components(separatedBy: "\n")
        var uncommented: [String] = []
        for (index, line) in lines.enumerated() {
            let content = line.split(separator: "#", maxSplits: 1).first.map(String.init) ?? ""
            guard let colon = content.firstIndex(of: ":") else { continue }
            let value = content[content.index(after: colon)...]
            guard value.contains(where: \.isNumber), !content.contains("name:"),
                  !content.contains("description:"), !content.contains("provenance:"),
                  !content.contains("topology:") else { continue }
            let commentedHere = line.contains("#")
            let commentedAbove = index > 0 && lines[index - 1].trimmingCharacters(in: .whitespaces).hasPrefix("#")
            if !commentedHere && !commentedAbove { uncommented.append("\(name).yaml:\(index + 1): \(line)") }
        }
        #expect(uncommented.isEmpty, "\(uncommented)")
    }

    // MARK: Datasheet figures

    @Test func a100Datasheet() throws {
        let a80 = try Fixture.preset("dgx-a100-80gb")
        #expect(a80.accelerator.peakTFLOPS.bf16 == 312)
        #expect(a80.accelerator.peakTFLOPS.tf32 == 156)
        #expect(a80.accelerator.peakTFLOPS.fp32 == 19.5)
        #expect(a80.accelerator.peakTFLOPS.fp8 == 0)
        #expect(a80.accelerator.memoryGiB == 80)
        #expect(a80.accelerator.memoryBandwidthGBps == 2039)
        #expect(a80.node.scaleUp.bandwidthGBps == 300)
        #expect(a80.scaleOut.bandwidthGBps == 25)
        let a40 = try Fixture.preset("dgx-a100-40gb")
        #expect(a40.accelerator.peakTFLOPS.bf16 == 312)
        #expect(a40.accelerator.memoryGiB == 40)
        #expect(a40.accelerator.memoryBandwidthGBps == 1555)
    }

    @Test func hopperDatasheet() throws {
        let h100 = try Fixture.preset("dgx-h100")
        #expect(abs(h100.accelerator.peakTFLOPS.bf16 - 989) < 1)   // dense, not the 1,979 sparse figure
        #expect(abs(h100.accelerator.peakTFLOPS.fp8 - 1979) < 1)
        #expect(h100.accelerator.memoryGiB == 80)
        #expect(h100.accelerator.memoryBandwidthGBps == 3350)
        #expect(h100.node.scaleUp.bandwidthGBps == 450)
        #expect(h100.scaleOut.bandwidthGBps == 50)
        let h200 = try Fixture.preset("dgx-h200")
        #expect(h200.accelerator.memoryGiB == 141)
        #expect(h200.accelerator.memoryBandwidthGBps == 4800)
        #expect(h200.accelerator.peakTFLOPS.bf16 == h100.accelerator.peakTFLOPS.bf16)
        let h800 = try Fixture.preset("dgx-h800")
        #expect(h800.node.scaleUp.bandwidthGBps == 200)
        #expect(h800.accelerator.peakTFLOPS == h100.accelerator.peakTFLOPS)
    }

    /// torchtitan's Grand Teton H100s (docs/performance.md @d4c86e37): 96 GB HBM2e at 2.4 TB/s,
    /// 500 W. Peaks by linear interpolation in board power between the H100 NVL (400 W, BF16
    /// 835.5 dense) and SXM5 (700 W, 989.4): 835.5 + (989.4 - 835.5) x 100/300 = 886.8; FP8
    /// 1,670.5 + (1,978.9 - 1,670.5) / 3 = 1,773.3.
    @Test func grandTetonH100() throws {
        let gt = try Fixture.preset("grand-teton-h100")
        #expect(gt.accelerator.memoryGiB == 96)
        #expect(gt.accelerator.memoryBandwidthGBps == 2400)
        #expect(abs(gt.accelerator.peakTFLOPS.bf16 - 886.8) < 0.05)
        #expect(abs(gt.accelerator.peakTFLOPS.fp8 - 1773.3) < 0.05)
        #expect(gt.acceleratorsPerNode == 8)
        #expect(gt.node.scaleUp.bandwidthGBps == 450)
        #expect(gt.scaleOut.bandwidthGBps == 50)
    }

    @Test func otherAccelerators() throws {
        let b200 = try Fixture.preset("dgx-b200")
        #expect(b200.accelerator.peakTFLOPS.bf16 == 2250)
        #expect(b200.node.scaleUp.bandwidthGBps == 900)
        let nvl72 = try Fixture.preset("gb200-nvl72")
        #expect(nvl72.acceleratorsPerNode == 72)
        #expect(nvl72.accelerator.peakTFLOPS.bf16 == 2500)
        let mi300x = try Fixture.preset("mi300x")
        #expect(mi300x.accelerator.memoryGiB == 192)
        #expect(mi300x.accelerator.memoryBandwidthGBps == 5300)
        #expect(abs(mi300x.accelerator.peakTFLOPS.bf16 - 1307.4) < 0.01)
        #expect(mi300x.node.scaleUp.bandwidthGBps == 448)
        let tpu = try Fixture.preset("tpu-v4")
        #expect(tpu.accelerator.peakTFLOPS.bf16 == 275)
        #expect(tpu.accelerator.memoryGiB == 32)
        #expect(tpu.accelerator.memoryBandwidthGBps == 1200)
        #expect(tpu.acceleratorsPerHost == 4)
        #expect(tpu.maxNodes == 1024)        // 4096 chips / 4 per host
    }

    /// Measured fractions the cost model relies on stay in plausible ranges.
    @Test(arguments: Fixture.presetNames)
    func efficienciesArePlausible(_ name: String) throws {
        let topology = try Fixture.preset(name)
        let accelerator = topology.accelerator
        // Up to 1.2: GeForce boards clock above the rated boost their datasheet peak assumes
        // (RTX 3090 measured 1.08, RTX 5090 1.16,
        // `InterconnectPresetTests.pcieGEMMEfficienciesAreTheMeasuredRates`); down to 0.4: the
        // P100, whose fp16 GEMMs PyTorch accumulates in fp32 at half the fp16 peak (measured 0.45).
        #expect((0.4...1.2).contains(accelerator.matmulEfficiency), "\(name)")
        #expect((64...512).contains(accelerator.matmulHalfEfficiencyDim))
        #expect((0.7...0.95).contains(accelerator.memoryBandwidthEfficiency))
        for tier in [topology.node.scaleUp, topology.scaleOut] {
            #expect((0.7...0.99).contains(tier.busEfficiency))
            #expect((0.1...10).contains(tier.latencyUs))
        }
        // The fast tier is never slower than the fabric between nodes.
        #expect(topology.node.scaleUp.bandwidthGBps >= topology.scaleOut.bandwidthGBps)
    }
}

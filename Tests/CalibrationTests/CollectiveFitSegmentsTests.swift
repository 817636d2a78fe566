import Calibration
import CostModel
import Hardware
import Testing

/// Piecewise fits: a bandwidth that changes with message size (cache-resident vs DRAM buffers)
/// gets one entry per size range, and the calibrated topology predicts each range.
@Suite struct CollectiveFitSegmentsTests {
    /// Times of a 2-rank all-reduce: 5 us per step, 13 GB/s below 512 KiB and 3.6 GB/s above
    /// (the shared-memory regimes measured on this host class; see CALIBRATION.md).
    static func twoRegimes() -> [(bytes: Int, microseconds: Double)] {
        (10...24).map { exponent in
            let bytes = 1 << exponent
            let bus = CollectiveKind.allReduce.busFactor(ranks: 2) * Double(bytes)
            let gbps = bytes <= 512 * 1024 ? 13.0 : 3.6
            return (bytes, 5 * CollectiveKind.allReduce.latencySteps(ranks: 2) + bus / (gbps * 1e3))
        }
    }

    @Test func twoBandwidthRegimesGetTwoRanges() throws {
        let segments = try CollectiveFit.segmented(.allReduce, tier: "scale_up", ranks: 2, samples: Self.twoRegimes(),
                                                   source: "synthetic")
        #expect(segments.count >= 2)
        #expect(segments.first?.minBytes == nil)
        #expect(segments.last?.maxBytes == nil)
        var cluster = try TopologyCatalog.load("dgx-a100-80gb")
        cluster.calibration = segments.map(\.calibration)
        let group = RankPlacement.Group(size: 2, ranksPerNode: 2)
        for sample in Self.twoRegimes() {
            let predicted = CollectiveCost.seconds(.allReduce, bytes: Double(sample.bytes), group: group, cluster: cluster) * 1e6
            #expect(abs(predicted / sample.microseconds - 1) < 0.03, "\(sample.bytes) bytes")
        }
    }

    @Test func aStraightLineStaysOneSegment() throws {
        let line = (10...24).map { exponent -> (bytes: Int, microseconds: Double) in
            let bytes = 1 << exponent
            return (bytes, 4 + Double(bytes) / 10e3)
        }
        let segments = try CollectiveFit.segmented(.sendRecv, tier: "scale_up", ranks: 2, samples: line, source: "synthetic")
        #expect(segments.count == 1)
        #expect(segments.first?.minBytes == nil && segments.first?.maxBytes == nil)
    }

    @Test func sizeRangesRoundTripThroughTheTopologyFile() throws {
        var cluster = try TopologyCatalog.load("dgx-a100-80gb")
        cluster.calibration = [
            CollectiveCalibration(collective: "allreduce", tier: "scale_up", ranks: 2, alphaUs: 5, betaUsPerByte: 1e-4,
                                  maxBytes: 524288),
            CollectiveCalibration(collective: "allreduce", tier: "scale_up", ranks: 2, alphaUs: 9, betaUsPerByte: 3e-4,
                                  minBytes: 1048576),
        ]
        let text = cluster.yamlString()
        let back = try TopologyLoader.parse(text, file: "roundtrip.yaml")
        #expect(back.calibration == cluster.calibration)
    }
}

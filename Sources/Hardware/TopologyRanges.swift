// The physical range of every number a topology file supplies (issue 14). `validationProblems()`
// checks signs, finiteness and fractions; these bounds add what keeps every derived time finite:
// a memory bandwidth of 5e-324 GB/s or a `matmul_half_efficiency_dim` of 1e308 is positive and
// finite, yet turned the step time into NaN. Each bound is far outside any real machine and far
// inside what the cost model's arithmetic survives.

/// Bounds of the topology fields, in the files' units.
public enum TopologyRanges {
    /// Peak TFLOP/s per format: 1 GFLOP/s (0.001) up to 1 EFLOP/s per accelerator (1e6; a B200
    /// is 2.25e3 dense bf16, 4.5e3 fp8). 0 is allowed for a format the chip lacks, except bf16.
    public static let peakTFLOPS: ClosedRange<Double> = 0.001...1e6
    /// Memory per accelerator, GiB: 1 MiB up to 1 PiB (an MI355X holds 288 GiB).
    public static let memoryGiB: ClosedRange<Double> = 0.001...1e6
    /// Bandwidths (memory, scale-up, scale-out), GB/s: 1 MB/s up to 1 PB/s (HBM3e is about 8e3).
    public static let bandwidthGBps: ClosedRange<Double> = 0.001...1e6
    /// Efficiencies: 0.1% up to 100%.
    public static let efficiency: ClosedRange<Double> = 0.001...1
    /// `matmul_efficiency`: measured GEMM rate over the datasheet peak, which assumes the rated
    /// boost clock. GeForce boards clock above it and measure more than their peak (RTX 3090:
    /// bf16 76.7 of 71 TFLOP/s = 1.08, `Topologies/rtx-3090.yaml`); 1.25 is beyond any board's
    /// boost margin.
    public static let matmulEfficiency: ClosedRange<Double> = 0.001...1.25
    /// GEMM dimension of half the matmul efficiency: up to 1e6 (real values are 1e2-1e3).
    public static let halfEfficiencyDim: ClosedRange<Double> = 0...1e6
    /// Per-step latency, microseconds: up to 10 s (1e7 us).
    public static let latencyUs: ClosedRange<Double> = 0...1e7
    /// Oversubscription of a tier: 1 (full bisection) up to 1e6.
    public static let oversubscription: ClosedRange<Double> = 1...1e6
    /// Calibration `beta_us_per_byte`: 0 up to 1 us per byte (a bus bandwidth of 1 MB/s).
    public static let betaUsPerByte: ClosedRange<Double> = 0...1
    /// Calibration `min_bytes` / `max_bytes`: up to 1 EB.
    public static let messageBytes: ClosedRange<Double> = 0...1e18
    /// Accelerators per node, and nodes: up to a million each, so that their product fits in `Int`.
    public static let count: ClosedRange<Int> = 1...1_000_000
}

extension ClusterTopology {
    /// Fields outside `TopologyRanges`, skipping those `already` names (one problem per field).
    func rangeProblems(skipping already: [TopologyError]) -> [TopologyError] {
        let skip = Set(already.compactMap(\.field))
        var problems: [TopologyError] = []
        func check(_ field: String, _ value: Double, _ range: ClosedRange<Double>, zeroAllowed: Bool = false) {
            guard !skip.contains(field), value.isFinite, !(zeroAllowed && value == 0), !range.contains(value) else { return }
            let zero = zeroAllowed ? "0 or " : ""
            problems.append(TopologyError(.invalidValue, "\(field) is \(formatNumber(value)), must be \(zero)between "
                                              + "\(formatNumber(range.lowerBound)) and \(formatNumber(range.upperBound))",
                                          field: field))
        }
        func check(_ field: String, _ value: Int, _ range: ClosedRange<Int>) {
            guard !skip.contains(field), !range.contains(value) else { return }
            problems.append(TopologyError(.invalidValue, "\(field) is \(value), must be between \(range.lowerBound) "
                                              + "and \(range.upperBound)", field: field))
        }
        let peak = accelerator.peakTFLOPS
        check("accelerator.peak_tflops.fp32", peak.fp32, TopologyRanges.peakTFLOPS, zeroAllowed: true)
        check("accelerator.peak_tflops.tf32", peak.tf32, TopologyRanges.peakTFLOPS, zeroAllowed: true)
        // 0 = the part lacks the format (bf16 on V100 and T4, which train in fp16); that both
        // 16-bit peaks are 0 is rejected in InterconnectValidation.
        check("accelerator.peak_tflops.bf16", peak.bf16, TopologyRanges.peakTFLOPS, zeroAllowed: true)
        check("accelerator.peak_tflops.fp16", peak.fp16, TopologyRanges.peakTFLOPS, zeroAllowed: true)
        check("accelerator.peak_tflops.fp8", peak.fp8, TopologyRanges.peakTFLOPS, zeroAllowed: true)
        check("accelerator.peak_tflops.fp4", peak.fp4, TopologyRanges.peakTFLOPS, zeroAllowed: true)
        if let low = accelerator.lowPrecisionMatmulEfficiency {
            check("accelerator.low_precision_matmul_efficiency", low, TopologyRanges.efficiency)
        }
        if let banded = accelerator.bandedAttentionEfficiency {
            check("accelerator.banded_attention_efficiency", banded, TopologyRanges.efficiency)
        }
        check("accelerator.memory_gib", accelerator.memoryGiB, TopologyRanges.memoryGiB)
        check("accelerator.memory_bandwidth_gbps", accelerator.memoryBandwidthGBps, TopologyRanges.bandwidthGBps)
        check("accelerator.matmul_efficiency", accelerator.matmulEfficiency, TopologyRanges.matmulEfficiency)
        check("accelerator.matmul_half_efficiency_dim", accelerator.matmulHalfEfficiencyDim,
              TopologyRanges.halfEfficiencyDim)
        check("accelerator.memory_bandwidth_efficiency", accelerator.memoryBandwidthEfficiency, TopologyRanges.efficiency)
        check("accelerator.reserved_memory_gib", accelerator.reservedMemoryGiB, 0...TopologyRanges.memoryGiB.upperBound)
        check("accelerator.attention_efficiency", accelerator.attentionEfficiency, TopologyRanges.efficiency)
        if let fa2 = accelerator.flashAttention2Efficiency {
            check("accelerator.flash_attention2_efficiency", fa2, TopologyRanges.efficiency)
        }
        check("node.accelerators", node.accelerators, TopologyRanges.count)
        if let maxNodes { check("max_nodes", maxNodes, TopologyRanges.count) }
        for (path, tier) in [("node.scale_up", node.scaleUp), ("scale_out", scaleOut)] {
            check("\(path).bandwidth_gbps", tier.bandwidthGBps, TopologyRanges.bandwidthGBps)
            check("\(path).latency_us", tier.latencyUs, TopologyRanges.latencyUs)
            check("\(path).bus_efficiency", tier.busEfficiency, TopologyRanges.efficiency)
            check("\(path).oversubscription", tier.oversubscription, TopologyRanges.oversubscription)
        }
        for (index, entry) in calibration.enumerated() {
            let path = "calibration[\(index)]"
            check("\(path).alpha_us", entry.alphaUs, TopologyRanges.latencyUs)
            check("\(path).beta_us_per_byte", entry.betaUsPerByte, TopologyRanges.betaUsPerByte)
            if let minBytes = entry.minBytes { check("\(path).min_bytes", minBytes, TopologyRanges.messageBytes) }
            if let maxBytes = entry.maxBytes { check("\(path).max_bytes", maxBytes, TopologyRanges.messageBytes) }
        }
        return problems
    }
}

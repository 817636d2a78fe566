// Range checks on a cluster description, and the `--gpus N` rules.
// Field names in messages are the YAML key paths of Topologies/README.md.

extension ClusterTopology {
    /// The calibration tiers `CollectiveCalibration.tier` may name.
    public static let calibrationTiers = ["scale_up", "scale_out"]

    /// Throws the first problem found: an empty name, a zero, negative or non-finite quantity, an
    /// efficiency outside (0, 1], an oversubscription below 1, ... (see `validationProblems()`).
    public func validate() throws {
        if let first = validationProblems().first { throw first }
    }

    /// Every range problem of this description, in schema order; empty when it is valid.
    /// Each error's `field` is the YAML key path (`scale_out.bus_efficiency`).
    public func validationProblems() -> [TopologyError] {
        var checks = FieldChecks()
        checks.nonEmpty("name", name)
        checks.nonEmpty("accelerator.name", accelerator.name)
        let peak = accelerator.peakTFLOPS
        checks.nonNegative("accelerator.peak_tflops.fp32", peak.fp32)
        checks.nonNegative("accelerator.peak_tflops.tf32", peak.tf32)
        checks.nonNegative("accelerator.peak_tflops.bf16", peak.bf16)   // 0 = no bf16: see interconnectProblems
        checks.nonNegative("accelerator.peak_tflops.fp8", peak.fp8)
        checks.positive("accelerator.memory_gib", accelerator.memoryGiB)
        checks.positive("accelerator.memory_bandwidth_gbps", accelerator.memoryBandwidthGBps)
        checks.fraction("accelerator.matmul_efficiency", accelerator.matmulEfficiency,
                        upTo: TopologyRanges.matmulEfficiency.upperBound)
        checks.nonNegative("accelerator.matmul_half_efficiency_dim", accelerator.matmulHalfEfficiencyDim)
        checks.fraction("accelerator.memory_bandwidth_efficiency", accelerator.memoryBandwidthEfficiency)
        checks.nonNegative("accelerator.reserved_memory_gib", accelerator.reservedMemoryGiB)
        checks.fraction("accelerator.attention_efficiency", accelerator.attentionEfficiency)
        if let fa2 = accelerator.flashAttention2Efficiency {
            checks.fraction("accelerator.flash_attention2_efficiency", fa2)
        }
        if let low = accelerator.lowPrecisionMatmulEfficiency {
            checks.fraction("accelerator.low_precision_matmul_efficiency", low)
        }
        if let banded = accelerator.bandedAttentionEfficiency {
            checks.fraction("accelerator.banded_attention_efficiency", banded)
        }
        if accelerator.reservedMemoryGiB.isFinite, accelerator.memoryGiB.isFinite,
           accelerator.reservedMemoryGiB >= accelerator.memoryGiB {
            checks.fail("accelerator.reserved_memory_gib",
                        "accelerator.reserved_memory_gib is \(formatNumber(accelerator.reservedMemoryGiB)), "
                            + "must be less than memory_gib \(formatNumber(accelerator.memoryGiB))")
        }
        if node.accelerators < 1 {
            checks.fail("node.accelerators", "node.accelerators is \(node.accelerators), must be at least 1")
        }
        checks.tier("node.scale_up", node.scaleUp)
        checks.tier("scale_out", scaleOut)
        if let maxNodes, maxNodes < 1 {
            checks.fail("max_nodes", "max_nodes is \(maxNodes), must be at least 1 (or absent for no limit)")
        }
        if let bandwidth = checkpointBandwidthGBps { checks.positive("checkpoint_bandwidth_gbps", bandwidth) }
        if let rate = failureRatePerAcceleratorHour { checks.positive("failure_rate_per_accelerator_hour", rate) }
        for (index, entry) in calibration.enumerated() {
            let path = "calibration[\(index)]"
            checks.nonEmpty("\(path).collective", entry.collective)
            if !Self.calibrationTiers.contains(entry.tier) {
                checks.fail("\(path).tier", "\(path).tier is '\(entry.tier)', must be scale_up or scale_out")
            }
            if entry.ranks < 2 {
                checks.fail("\(path).ranks", "\(path).ranks is \(entry.ranks), must be at least 2")
            }
            checks.nonNegative("\(path).alpha_us", entry.alphaUs)
            checks.nonNegative("\(path).beta_us_per_byte", entry.betaUsPerByte)
            if let minBytes = entry.minBytes { checks.nonNegative("\(path).min_bytes", minBytes) }
            if let maxBytes = entry.maxBytes { checks.positive("\(path).max_bytes", maxBytes) }
            if let minBytes = entry.minBytes, let maxBytes = entry.maxBytes, minBytes > maxBytes {
                checks.fail("\(path).min_bytes", "\(path).min_bytes \(formatNumber(minBytes)) is larger than "
                                + "max_bytes \(formatNumber(maxBytes))")
            }
        }
        return checks.problems + interconnectProblems() + rangeProblems(skipping: checks.problems)
    }

    /// Nodes (hosts) that `gpus` accelerators occupy: 1 up to one host's worth, then whole hosts
    /// (rounded up; `checkGPUCount` rejects counts that are not whole hosts).
    public func nodes(for gpus: Int) -> Int {
        let perNode = max(acceleratorsPerHost, 1)
        if gpus <= perNode { return 1 }
        return (gpus - 1) / perNode + 1
    }

    /// Checks a `--gpus N` request against this cluster: N must be positive; above one node
    /// (host) it must be a whole number of hosts; and it must fit in `max_nodes` when that is set.
    /// Up to one host, any positive N is allowed (a partial node, e.g. 4 of 8 GPUs). A scale-up
    /// domain larger than a host (NVL72) need not be filled: 256 GPUs on 4-GPU hosts of 72-GPU
    /// domains are three full domains and one of 40. On a torus, N must split into equal slices
    /// the generation offers (`torusSlices(gpus:)`), any number of pods over DCN.
    public func checkGPUCount(_ gpus: Int) throws {
        let perNode = max(acceleratorsPerHost, 1)
        guard gpus > 0 else {
            throw TopologyError(.invalidGPUCount, "--gpus \(gpus) must be positive", field: "gpus")
        }
        if gpus > perNode, !gpus.isMultiple(of: perNode) {
            throw TopologyError(.invalidGPUCount,
                                "--gpus \(gpus) is not a multiple of \(perNode) GPUs per node on \(name)",
                                field: "gpus")
        }
        if interconnect == .torus {
            // A job larger than one pod runs as several slices over DCN (max_nodes is one pod).
            _ = try torusSlices(gpus: gpus)
            return
        }
        if let maxNodes {
            let needed = nodes(for: gpus)
            if needed > maxNodes {
                let (capacity, overflow) = maxNodes.multipliedReportingOverflow(by: perNode)
                let most = overflow ? "" : " (\(capacity) GPUs)"
                throw TopologyError(.invalidGPUCount,
                                    "--gpus \(gpus) needs \(needed) nodes but \(name) has at most \(maxNodes) nodes\(most)",
                                    field: "gpus")
            }
        }
    }
}

/// Collects range problems with their field paths.
private struct FieldChecks {
    var problems: [TopologyError] = []

    mutating func fail(_ field: String, _ message: String) {
        problems.append(TopologyError(.invalidValue, message, field: field))
    }

    mutating func nonEmpty(_ field: String, _ value: String) {
        if value.allSatisfy(\.isWhitespace) { fail(field, "\(field) is empty") }
    }

    /// Finite; false (and a problem recorded) otherwise.
    private mutating func finite(_ field: String, _ value: Double) -> Bool {
        if value.isFinite { return true }
        fail(field, "\(field) is \(formatNumber(value)), must be a finite number")
        return false
    }

    mutating func positive(_ field: String, _ value: Double) {
        guard finite(field, value) else { return }
        if value <= 0 { fail(field, "\(field) is \(formatNumber(value)), must be positive") }
    }

    mutating func nonNegative(_ field: String, _ value: Double) {
        guard finite(field, value) else { return }
        if value < 0 { fail(field, "\(field) is \(formatNumber(value)), must not be negative") }
    }

    /// An efficiency: in (0, 1], or (0, `upTo`] for one measured against a nominal peak that a
    /// board can exceed (`TopologyRanges.matmulEfficiency`).
    mutating func fraction(_ field: String, _ value: Double, upTo limit: Double = 1) {
        guard finite(field, value) else { return }
        if value <= 0 || value > limit {
            fail(field, "\(field) is \(formatNumber(value)), must be in (0, \(formatNumber(limit))]")
        }
    }

    mutating func tier(_ path: String, _ tier: NetworkTier) {
        nonEmpty("\(path).name", tier.name)
        positive("\(path).bandwidth_gbps", tier.bandwidthGBps)
        positive("\(path).latency_us", tier.latencyUs)
        fraction("\(path).bus_efficiency", tier.busEfficiency)
        nonEmpty("\(path).topology", tier.topology)
        guard finite("\(path).oversubscription", tier.oversubscription) else { return }
        if tier.oversubscription < 1 {
            fail("\(path).oversubscription",
                 "\(path).oversubscription is \(formatNumber(tier.oversubscription)), must be at least 1 (1 = full bisection)")
        }
    }
}

/// A number as the YAML files and messages write it: integers without a fraction, others in
/// Swift's shortest round-tripping form (`0.87`, `4e-06`), non-finite values as `nan`/`inf`.
func formatNumber(_ value: Double) -> String {
    if value.isNaN { return "nan" }
    if value.isInfinite { return value < 0 ? "-inf" : "inf" }
    if value == value.rounded(), abs(value) < 1e15 {
        return String(Int64(value))
    }
    return "\(value)"
}

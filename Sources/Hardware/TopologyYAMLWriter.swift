extension ClusterTopology {
    /// This description as a topology YAML file (the schema of `Topologies/README.md`), for
    /// `loom calibrate` to write. `TopologyLoader.parse(yamlString())` gives back an equal value.
    ///
    /// Comments are not kept: a calibrated file says where its numbers came from in `provenance`.
    public func yamlString() -> String {
        var out = YAMLLines()
        out.add("name", quoted(name))
        out.add("description", quoted(description))
        out.add("accelerator", nil)
        out.add("  name", quoted(accelerator.name))
        let peak = accelerator.peakTFLOPS
        var extraPeaks = peak.fp16 != peak.bf16 ? ", fp16: \(formatNumber(peak.fp16))" : ""
        if peak.fp4 != 0 { extraPeaks += ", fp4: \(formatNumber(peak.fp4))" }
        out.add("  peak_tflops", "{fp32: \(formatNumber(peak.fp32)), tf32: \(formatNumber(peak.tf32)), "
                    + "bf16: \(formatNumber(peak.bf16)), fp8: \(formatNumber(peak.fp8))\(extraPeaks)}")
        out.add("  memory_gib", formatNumber(accelerator.memoryGiB))
        out.add("  memory_bandwidth_gbps", formatNumber(accelerator.memoryBandwidthGBps))
        out.add("  matmul_efficiency", formatNumber(accelerator.matmulEfficiency))
        out.add("  matmul_half_efficiency_dim", formatNumber(accelerator.matmulHalfEfficiencyDim))
        out.add("  memory_bandwidth_efficiency", formatNumber(accelerator.memoryBandwidthEfficiency))
        out.add("  reserved_memory_gib", formatNumber(accelerator.reservedMemoryGiB))
        out.add("  attention_efficiency", formatNumber(accelerator.attentionEfficiency))
        if let fa2 = accelerator.flashAttention2Efficiency {
            out.add("  flash_attention2_efficiency", formatNumber(fa2))
        }
        if let low = accelerator.lowPrecisionMatmulEfficiency {
            out.add("  low_precision_matmul_efficiency", formatNumber(low))
        }
        if let banded = accelerator.bandedAttentionEfficiency {
            out.add("  banded_attention_efficiency", formatNumber(banded))
        }
        if let curve = accelerator.attentionKeyCurve { out.add("  attention_key_curve", curve.rawValue) }
        out.add("node", nil)
        out.add("  accelerators", String(node.accelerators))
        if let domain = node.scaleUpDomain { out.add("  scale_up_domain", String(domain)) }
        if let memory = node.hostMemoryGiB { out.add("  host_memory_gib", formatNumber(memory)) }
        if let link = node.hostLinkGBps { out.add("  host_link_gbps", formatNumber(link)) }
        out.tier("  scale_up", node.scaleUp)
        out.tier("scale_out", scaleOut)
        if let maxNodes { out.add("max_nodes", String(maxNodes)) }
        if interconnect != .switched { out.add("interconnect", interconnect.rawValue) }
        if let torus {
            out.add("torus", nil)
            out.add("  dimensions", String(torus.dimensions))
            out.add("  link_bandwidth_gbps", formatNumber(torus.linkBandwidthGBps))
            out.add("  wrap_multiple", String(torus.wrapMultiple))
            out.add("  max_slice", "[" + torus.maxSlice.map(String.init).joined(separator: ", ") + "]")
            out.add("  pod_chips", String(torus.podChips))
            if let cube = torus.cube { out.add("  cube", "[" + cube.map(String.init).joined(separator: ", ") + "]") }
        }
        if calibration.isEmpty {
            out.add("calibration", "[]")
        } else {
            out.add("calibration", nil)
            for entry in calibration {
                var range = ""
                if let minBytes = entry.minBytes { range += ", min_bytes: \(formatNumber(minBytes))" }
                if let maxBytes = entry.maxBytes { range += ", max_bytes: \(formatNumber(maxBytes))" }
                out.lines.append("  - {collective: \(quoted(entry.collective)), tier: \(quoted(entry.tier)), "
                                     + "ranks: \(entry.ranks), alpha_us: \(formatNumber(entry.alphaUs)), "
                                     + "beta_us_per_byte: \(formatNumber(entry.betaUsPerByte))\(range)}")
            }
        }
        if let checkpointBandwidthGBps { out.add("checkpoint_bandwidth_gbps", formatNumber(checkpointBandwidthGBps)) }
        if let failureRatePerAcceleratorHour {
            out.add("failure_rate_per_accelerator_hour", formatNumber(failureRatePerAcceleratorHour))
        }
        if let provenance { out.add("provenance", quoted(provenance)) }
        return out.lines.joined(separator: "\n") + "\n"
    }
}

private struct YAMLLines {
    var lines: [String] = []

    /// `key: value`, or `key:` opening a block when value is nil.
    mutating func add(_ key: String, _ value: String?) {
        lines.append(value.map { "\(key): \($0)" } ?? "\(key):")
    }

    mutating func tier(_ key: String, _ tier: NetworkTier) {
        let indent = String(repeating: " ", count: key.prefix(while: { $0 == " " }).count + 2)
        add(key, nil)
        add(indent + "name", quoted(tier.name))
        add(indent + "bandwidth_gbps", formatNumber(tier.bandwidthGBps))
        add(indent + "latency_us", formatNumber(tier.latencyUs))
        add(indent + "bus_efficiency", formatNumber(tier.busEfficiency))
        add(indent + "topology", quoted(tier.topology))
        add(indent + "oversubscription", formatNumber(tier.oversubscription))
    }
}

/// A YAML double-quoted scalar (JSON escapes are valid YAML escapes).
private func quoted(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\t": out += "\\t"
        case "\r": out += "\\r"
        default:
            if scalar.value < 0x20 || scalar.value == 0x7F || scalar.value == 0x85 || scalar.value == 0x2028
                || scalar.value == 0x2029 || scalar.value == 0xFEFF {
                let hex = String(scalar.value, radix: 16, uppercase: true)
                out += "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
    }
    return out + "\""
}

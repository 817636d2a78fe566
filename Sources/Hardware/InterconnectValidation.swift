// Range checks on the interconnect fields (`node.scale_up_domain`, host memory and link,
// `interconnect`, `torus`); called from `ClusterTopology.validationProblems()`.
// Field names in messages are the YAML key paths of Topologies/README.md.

extension ClusterTopology {
    /// Problems of the interconnect description, in schema order; empty when it is valid.
    func interconnectProblems() -> [TopologyError] {
        var problems: [TopologyError] = []
        func fail(_ field: String, _ message: String) {
            problems.append(TopologyError(.invalidValue, message, field: field))
        }
        func positiveIfSet(_ field: String, _ value: Double?) {
            guard let value else { return }
            if !value.isFinite || value <= 0 { fail(field, "\(field) is \(formatNumber(value)), must be a positive number") }
        }
        let peak = accelerator.peakTFLOPS
        for (field, value) in [("fp16", peak.fp16), ("fp4", peak.fp4)] where !value.isFinite || value < 0 {
            fail("accelerator.peak_tflops.\(field)",
                 "accelerator.peak_tflops.\(field) is \(formatNumber(value)), must be a finite number >= 0")
        }
        if peak.bf16.isFinite, peak.fp16.isFinite, peak.sixteenBit <= 0 {
            fail("accelerator.peak_tflops.bf16",
                 "accelerator.peak_tflops.bf16 and fp16 are both 0: a 16-bit tensor peak is needed (set fp16 on parts without bf16)")
        }
        if let domain = node.scaleUpDomain {
            if domain < 1 || node.accelerators < 1 || !domain.isMultiple(of: max(node.accelerators, 1)) {
                fail("node.scale_up_domain", "node.scale_up_domain is \(domain), must be a positive multiple of "
                        + "node.accelerators (\(node.accelerators))")
            }
        }
        positiveIfSet("node.host_memory_gib", node.hostMemoryGiB)
        positiveIfSet("node.host_link_gbps", node.hostLinkGBps)
        switch interconnect {
        case .torus:
            guard let torus else {
                fail("torus", "interconnect is torus but the torus block is missing")
                break
            }
            if !(2...3).contains(torus.dimensions) {
                fail("torus.dimensions", "torus.dimensions is \(torus.dimensions), must be 2 or 3")
            }
            if !torus.linkBandwidthGBps.isFinite || torus.linkBandwidthGBps <= 0 {
                fail("torus.link_bandwidth_gbps",
                     "torus.link_bandwidth_gbps is \(formatNumber(torus.linkBandwidthGBps)), must be positive")
            }
            if torus.wrapMultiple < 1 {
                fail("torus.wrap_multiple", "torus.wrap_multiple is \(torus.wrapMultiple), must be at least 1")
            }
            if torus.maxSlice.count != torus.dimensions || torus.maxSlice.contains(where: { $0 < 1 || $0 > 1 << 16 }) {
                fail("torus.max_slice", "torus.max_slice is \(torus.maxSlice), must list \(torus.dimensions) "
                        + "axis lengths between 1 and 65536")
            } else if torus.maxSliceChips > torus.podChips {
                fail("torus.max_slice", "torus.max_slice holds \(torus.maxSliceChips) chips, more than "
                        + "torus.pod_chips \(torus.podChips)")
            }
            if torus.podChips < 1 { fail("torus.pod_chips", "torus.pod_chips is \(torus.podChips), must be at least 1") }
            if let cube = torus.cube, cube.count != 3 || cube.contains(where: { $0 < 1 || $0 > 1 << 10 }) {
                fail("torus.cube", "torus.cube is \(cube), must list 3 axis lengths between 1 and 1024")
            }
            if node.scaleUpDomain != nil {
                fail("node.scale_up_domain", "node.scale_up_domain does not apply to a torus (slices are set by torus)")
            }
        case .switched, .pcie:
            break
        }
        return problems
    }
}

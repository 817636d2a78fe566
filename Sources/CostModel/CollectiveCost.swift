import Foundation
import Hardware

/// Alpha-beta cost of MPI/NCCL collectives over the topology's tiers
/// (Thakur, Rabenseifner and Gropp 2005; bus bandwidth as in nccl-tests doc/PERFORMANCE.md).
///
/// Every formula is time = steps x alpha + busFactor x bytes / busBandwidth, where busFactor is
/// nccl-tests' bus-bandwidth factor (all-reduce 2(n-1)/n; all-gather, reduce-scatter and
/// all-to-all (n-1)/n; broadcast and p2p 1). `bytes` is the full buffer: the all-reduced
/// tensor, the all-gathered output, the reduce-scattered input.
///
/// Which tiers a group crosses is its `GroupShape` on the cluster: switched tiers and PCIe hosts
/// in `CollectiveCost.switchedSeconds`, tori and the data-centre network between slices in
/// `TorusCollectives`.
public enum CollectiveKind: String, Sendable, Hashable, Codable, CaseIterable {
    case allReduce = "allreduce"
    case allGather = "allgather"
    case reduceScatter = "reducescatter"
    case allToAll = "alltoall"
    case broadcast
    case sendRecv = "sendrecv"

    /// nccl-tests bus-bandwidth factor for n ranks.
    public func busFactor(ranks n: Double) -> Double {
        guard n > 1 else { return 0 }
        switch self {
        case .allReduce: return 2 * (n - 1) / n
        case .allGather, .reduceScatter, .allToAll: return (n - 1) / n
        case .broadcast, .sendRecv: return 1
        }
    }

    /// Latency steps of the algorithm NCCL/MPI picks at this size: ring (n-1 or 2(n-1) steps)
    /// or, for all-reduce and broadcast at scale, a (double binary) tree of 2 log2 n steps.
    public func latencySteps(ranks n: Double) -> Double {
        guard n > 1 else { return 0 }
        let log2n = log2Ceil(n)
        switch self {
        case .allReduce: return min(2 * (n - 1), 2 * log2n)
        case .allGather, .reduceScatter: return n - 1
        case .allToAll: return n - 1
        case .broadcast: return log2n
        case .sendRecv: return 1
        }
    }
}

func log2Ceil(_ x: Double) -> Double {
    var steps = 0.0
    var reach = 1.0
    while reach < x {
        reach *= 2
        steps += 1
    }
    return steps
}

public enum CollectiveCost {
    /// Seconds for one collective of `bytes` over `group` on `cluster`, by the shape the group
    /// spans there (`RankPlacement.Group.shape(on:)`): switched tiers (NVLink domain, then one
    /// NIC per GPU between domains), PCIe-only hosts, or a torus with DCN between slices
    /// (`TorusCollectives`). Calibrated alpha-beta pairs, when the topology has them, come first.
    public static func seconds(_ kind: CollectiveKind, bytes: Double, group: RankPlacement.Group,
                               cluster: ClusterTopology) -> Double {
        let n = Double(group.size)
        guard n > 1, bytes > 0 else { return 0 }
        if let fitted = calibrated(kind, group: group, bytes: bytes, cluster: cluster) {
            return fitted.alphaUs * 1e-6 * kind.latencySteps(ranks: n)
                + fitted.betaUsPerByte * 1e-6 * kind.busFactor(ranks: n) * bytes
        }
        let shape = group.shape(on: cluster)
        switch cluster.interconnect {
        case .torus:
            return TorusCollectives.seconds(kind, bytes: bytes, shape: shape, cluster: cluster)
        case .switched, .pcie:
            return switchedSeconds(kind, bytes: bytes, shape: shape, cluster: cluster)
        }
    }

    /// Switched tiers: inside a scale-up domain at the scale-up tier's bus bandwidth; across
    /// domains, NCCL runs one ring (channel) per NIC, so a group with r ranks in each domain moves
    /// its inter-domain bytes over r NICs (rail-optimised fabric), capped by the scale-up tier.
    /// On a PCIe-only host the scale-up tier is the GPUs' PCIe path, at most the host link.
    static func switchedSeconds(_ kind: CollectiveKind, bytes: Double, shape: GroupShape,
                                cluster: ClusterTopology) -> Double {
        let n = Double(shape.size)
        let scaleUp = scaleUpBytesPerSecond(cluster)
        let bandwidth: Double
        let alpha: Double
        if shape.crossesDomains {
            let perNode = Double(shape.ranksPerDomain)
            let interNode: Double
            if kind == .allToAll {
                // Each rank's off-node share (n - r)/n leaves over its own NIC.
                let offNodeShare = (n - perNode) / max(n - 1, 1)
                interNode = cluster.scaleOut.effectiveBytesPerSecond / max(offNodeShare, 1e-9)
            } else {
                interNode = cluster.scaleOut.effectiveBytesPerSecond * perNode
            }
            bandwidth = min(interNode, perNode > 1 ? scaleUp : .infinity)
            alpha = cluster.scaleOut.latencyUs * 1e-6
        } else {
            bandwidth = scaleUp
            alpha = cluster.node.scaleUp.latencyUs * 1e-6
        }
        return alpha * kind.latencySteps(ranks: n) + kind.busFactor(ranks: n) * bytes / bandwidth
    }

    /// Achievable bus bandwidth of the scale-up tier, bytes/s: on a PCIe-only host, GPU-to-GPU
    /// traffic goes through each GPU's own PCIe link, so no faster than `node.host_link_gbps`.
    static func scaleUpBytesPerSecond(_ cluster: ClusterTopology) -> Double {
        let tier = cluster.node.scaleUp
        guard cluster.interconnect == .pcie, let link = cluster.node.hostLinkGBps else {
            return tier.effectiveBytesPerSecond
        }
        return min(tier.bandwidthGBps, link) * 1e9 * tier.busEfficiency / max(tier.oversubscription, 1)
    }

    /// Seconds for a point-to-point transfer between two ranks, on one node or across nodes.
    public static func pointToPointSeconds(bytes: Double, sameNode: Bool, cluster: ClusterTopology) -> Double {
        guard bytes > 0 else { return 0 }
        let tier = sameNode ? cluster.node.scaleUp : cluster.scaleOut
        if let fitted = calibratedSendRecv(tier: sameNode ? "scale_up" : "scale_out", bytes: bytes, cluster: cluster) {
            return fitted.alphaUs * 1e-6 + fitted.betaUsPerByte * 1e-6 * bytes
        }
        if sameNode, cluster.interconnect == .torus, let torus = cluster.torus {
            // Neighbours on the torus: one ICI link.
            return tier.latencyUs * 1e-6 + bytes / (torus.linkBandwidthGBps * 1e9 * tier.busEfficiency)
        }
        if sameNode, cluster.interconnect == .pcie {
            return tier.latencyUs * 1e-6 + bytes / scaleUpBytesPerSecond(cluster)
        }
        return tier.latencyUs * 1e-6 + bytes / tier.effectiveBytesPerSecond
    }

    /// A calibrated alpha-beta pair for this collective, tier and message size, if the topology
    /// has one (from `loom calibrate`).
    static func calibrated(_ kind: CollectiveKind, group: RankPlacement.Group, bytes: Double,
                           cluster: ClusterTopology) -> CollectiveCalibration? {
        if cluster.calibration.isEmpty { return nil }
        return entry(kind.rawValue, tier: group.crossesNodes ? "scale_out" : "scale_up", bytes: bytes, in: cluster)
    }

    static func calibratedSendRecv(tier: String, bytes: Double, cluster: ClusterTopology) -> CollectiveCalibration? {
        if cluster.calibration.isEmpty { return nil }
        return entry(CollectiveKind.sendRecv.rawValue, tier: tier, bytes: bytes, in: cluster)
    }

    /// The entry whose size range holds `bytes`; outside every range, the entry whose range is
    /// nearest on a log scale (the smallest range below it, the largest above it).
    static func entry(_ collective: String, tier: String, bytes: Double,
                      in cluster: ClusterTopology) -> CollectiveCalibration? {
        var best: CollectiveCalibration?
        var bestDistance = Double.infinity
        for candidate in cluster.calibration where candidate.collective == collective && candidate.tier == tier {
            let low = candidate.minBytes ?? 0
            let high = candidate.maxBytes ?? .infinity
            if bytes >= low && bytes <= high { return candidate }
            let distance = bytes < low ? log(low / max(bytes, 1)) : log(max(bytes, 1) / max(high, 1))
            if distance < bestDistance {
                bestDistance = distance
                best = candidate
            }
        }
        return best
    }
}

/// How the accelerators of a cluster are wired: the shape CostModel's collective formulas take
/// (`Topologies/README.md`, "Interconnect shapes").
///
/// - `switched`: a scale-up tier through switches (NVLink/NVSwitch, xGMI) inside a domain of
///   `NodeSpec.scaleUpDomain` accelerators (the host on DGX, the rack on NVL72), and a
///   rail-optimised scale-out fabric with one NIC per accelerator between domains.
/// - `pcie`: no GPU-to-GPU link; accelerators of a host talk through PCIe switches and the
///   host bridges, so the scale-up tier is the accelerator's PCIe link.
/// - `torus`: chips joined point to point by ICI links in a 2D or 3D torus (`TorusSpec`);
///   slices of the torus are joined over the data-centre network (the `scale_out` tier).
public enum InterconnectKind: String, Sendable, Hashable, Codable, CaseIterable {
    case switched
    case pcie
    case torus
}

/// A 2D or 3D torus of chips with ICI links (TPU pods).
///
/// Each chip has two links per axis, one to each neighbour (Jouppi et al. 2023, "TPU v4: An
/// Optically Reconfigurable Supercomputer...", ISCA, section 2; Cloud TPU system architecture
/// pages). An axis closes into a ring (wraparound link) only when the slice's length along it is
/// a multiple of `wrapMultiple`: whole 4x4x4 cubes on v4 and v5p, the full 16-chip axis on v5e
/// and v6e (JAX scaling book, "How to Think About TPUs", footnote on bidirectional bandwidth).
/// Latency per hop and the achievable fraction of the link rate are those of `node.scale_up`.
public struct TorusSpec: Sendable, Hashable, Codable {
    /// 2 or 3.
    public var dimensions: Int
    /// One ICI link, one direction, GB/s.
    public var linkBandwidthGBps: Double
    /// Axis lengths that close into a ring: multiples of this.
    public var wrapMultiple: Int
    /// The largest slice the generation offers, chips per axis (one entry per dimension).
    public var maxSlice: [Int]
    /// Chips in a pod (slices are carved out of one pod).
    public var podChips: Int
    /// The electrically wired block whose faces leave through optical circuit switches
    /// (4x4x4 on v4 and v5p); nil where there is none (v5e, v6e).
    public var cube: [Int]?
    /// The slice one job runs on, smallest axis first (`ClusterTopology.restricted(to:)`); nil =
    /// the largest slice. Not read from topology files.
    public var jobSlice: [Int]?

    public init(dimensions: Int, linkBandwidthGBps: Double, wrapMultiple: Int, maxSlice: [Int], podChips: Int,
                cube: [Int]? = nil) {
        self.dimensions = dimensions
        self.linkBandwidthGBps = linkBandwidthGBps
        self.wrapMultiple = wrapMultiple
        self.maxSlice = maxSlice
        self.podChips = podChips
        self.cube = cube
    }

    /// Chips in the job's slice (`jobSlice`), else in the largest slice.
    public var jobSliceChips: Int { jobSlice.map { $0.reduce(1, *) } ?? maxSliceChips }

    /// Chips in the largest slice.
    public var maxSliceChips: Int { maxSlice.reduce(1) { $0.multipliedReportingOverflow(by: max($1, 1)).partialValue } }

    /// Links leaving the cube through its faces: a cube a x b x c has 2(ab + bc + ca) face
    /// positions, each with one link outwards (4x4x4: 96, Jouppi et al. 2023, section 2.2).
    public var cubeFaceLinks: Int? {
        guard let cube, cube.count == 3 else { return nil }
        let (a, b, c) = (cube[0], cube[1], cube[2])
        return 2 * (a * b + b * c + c * a)
    }

    /// Bandwidth per chip, per direction, for traffic that leaves its cube all at once:
    /// face links x link bandwidth / chips in the cube (4x4x4 at 50 GB/s: 96 x 50 / 64 = 75 GB/s).
    public var offCubeBandwidthGBps: Double? {
        guard let links = cubeFaceLinks, let cube else { return nil }
        let chips = cube.reduce(1, *)
        guard chips > 0 else { return nil }
        return Double(links) * linkBandwidthGBps / Double(chips)
    }

    /// Whether an axis of this length closes into a ring.
    public func wraps(axisLength: Int) -> Bool {
        axisLength > 2 && wrapMultiple > 0 && axisLength.isMultiple(of: wrapMultiple)
    }

    /// The slice shape for `chips` chips, smallest axis first: the factorisation into
    /// `dimensions` axes with the smallest longest axis (the most cubic), in whole cubes where the
    /// generation has them, as Cloud TPU's slice tables list them (v4/v5p: 2x2x1, 2x2x2, 2x2x4,
    /// 2x4x4, 4x4x4, 4x4x8, 4x4x12, ..., 12x16x16 for PaLM's 3,072 chips, 16x16x24; v5e/v6e: 4x4,
    /// 4x8, 8x8, 8x16, 16x16).
    public func sliceShape(chips: Int) -> [Int] {
        if let jobSlice, jobSlice.reduce(1, *) == chips { return jobSlice }
        if let cube, cube.count == dimensions, cube.allSatisfy({ $0 > 0 }) {
            let cubeChips = cube.reduce(1, *)
            if chips >= cubeChips, chips.isMultiple(of: cubeChips) {
                let cubes = mostCubic(chips / cubeChips)
                return zip(cubes, cube.sorted()).map { $0 * $1 }.sorted()
            }
        }
        return mostCubic(chips)
    }

    /// The factorisation of `chips` into `dimensions` axes with the smallest longest axis, then
    /// the largest shortest axis; smallest axis first.
    func mostCubic(_ chips: Int) -> [Int] {
        let n = max(chips, 1)
        guard dimensions >= 2 else { return [n] }
        // (longest axis, shortest axis) of the best factorisation so far: smallest longest axis
        // first, then the largest shortest axis.
        var best = (a: 1, b: 1, c: n)
        func better(_ a: Int, _ b: Int, _ c: Int) -> Bool {
            c < best.c || (c == best.c && a > best.a)
        }
        if dimensions == 2 {
            var a = 1
            while a * a <= n {
                if n.isMultiple(of: a), better(a, a, n / a) { best = (a, a, n / a) }
                a += 1
            }
            return [best.a, best.c]
        }
        var a = 1
        while a * a * a <= n {
            if n.isMultiple(of: a) {
                let rest = n / a
                var b = a
                while b * b <= rest {
                    if rest.isMultiple(of: b), better(a, b, rest / b) { best = (a, b, rest / b) }
                    b += 1
                }
            }
            a += 1
        }
        return [best.a, best.b, best.c]
    }
}

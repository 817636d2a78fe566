/// The slices a multi-slice TPU job runs on: `count` equal slices of `shape` chips, each one torus
/// on ICI, joined over the data-centre network (Cloud TPU "Multislice" overview; PaLM,
/// Chowdhery et al. 2022, section 4: two TPU v4 pods of 3,072 chips joined over DCN).
public struct TorusSlices: Sendable, Hashable, Codable {
    /// Slices in the job.
    public var count: Int
    /// Chips per slice along each torus axis, smallest first.
    public var shape: [Int]

    public init(count: Int, shape: [Int]) {
        self.count = count
        self.shape = shape
    }

    /// Chips in one slice.
    public var chipsPerSlice: Int { shape.reduce(1, *) }
    /// `12x16x16`.
    public var shapeText: String { shape.map(String.init).joined(separator: "x") }
}

extension TorusSpec {
    /// The slice shape this generation offers for `chips` chips, or nil when it offers none
    /// (Cloud TPU v4 / v5p / v5e / v6e "supported topologies" tables):
    /// - 3D generations with 4x4x4 cubes (v4, v5p): below a cube, one host and its power-of-two
    ///   doublings up to half a cube (2x2x1, 2x2x2, 2x2x4, 2x4x4); from a cube up, whole cubes
    ///   (4x4x4, 4x4x8, 4x8x8, ..., 12x16x16) with no axis longer than `max_slice`'s;
    /// - 2D generations (v5e, v6e): 1x1 and the power-of-two shapes from 2x2 to the 16x16 pod
    ///   (2x2, 2x4, 4x4, 4x8, 8x8, 8x16, 16x16).
    public func offeredSliceShape(chips: Int) -> [Int]? {
        guard chips >= 1, chips <= maxSliceChips else { return nil }
        let isPowerOfTwo = chips & (chips - 1) == 0
        if let cube, cube.count == dimensions {
            let cubeChips = cube.reduce(1, *)
            if chips < cubeChips {
                // A host of 2x2x1 chips and its doublings inside one cube.
                guard isPowerOfTwo, chips >= 4 else { return nil }
            } else if !chips.isMultiple(of: cubeChips) {
                return nil
            }
        } else if !(chips == 1 || (isPowerOfTwo && chips >= 4)) {
            return nil
        }
        let shape = sliceShape(chips: chips)
        guard shape.count == maxSlice.count else { return nil }
        // Every axis fits the largest slice's axes (both sorted, smallest first).
        for (axis, limit) in zip(shape, maxSlice.sorted()) where axis > limit { return nil }
        return shape
    }

    /// Chip counts this generation offers as one slice, smallest first (for messages).
    public func offeredSliceChips(upTo limit: Int) -> [Int] {
        var out: [Int] = []
        var chips = 1
        let step = cube.map { $0.reduce(1, *) } ?? 1
        while chips <= min(limit, maxSliceChips) {
            if offeredSliceShape(chips: chips) != nil { out.append(chips) }
            chips += chips < step ? 1 : step
        }
        return out
    }
}

extension ClusterTopology {
    /// The slices `gpus` chips form on this torus: `slices` equal slices when given, otherwise
    /// the fewest equal slices of a shape the generation offers (one slice up to the largest
    /// slice; 6,144 TPU v4 chips: 2 x 3,072 = 2 x 12x16x16, PaLM's two pods). Nil off a torus.
    /// Throws one line naming the value and the constraint: a slice count that does not divide
    /// the chips, a slice size the generation does not offer, more chips than its largest slice
    /// with no equal split into offered slices.
    public func torusSlices(gpus: Int, slices: Int? = nil) throws -> TorusSlices? {
        guard interconnect == .torus, let torus else {
            if let slices, slices != 1 {
                throw TopologyError(.invalidGPUCount,
                                    "--slices \(slices) needs a TPU torus cluster; \(name) has no slices", field: "slices")
            }
            return nil
        }
        guard gpus >= 1 else {
            throw TopologyError(.invalidGPUCount, "--gpus \(gpus) must be positive", field: "gpus")
        }
        if let slices {
            guard slices >= 1 else {
                throw TopologyError(.invalidGPUCount, "--slices \(slices) must be a positive integer", field: "slices")
            }
            guard gpus.isMultiple(of: slices) else {
                throw TopologyError(.invalidGPUCount, "--slices \(slices) does not divide --gpus \(gpus)", field: "slices")
            }
            let chips = gpus / slices
            guard let shape = torus.offeredSliceShape(chips: chips) else {
                throw TopologyError(.invalidGPUCount, "--gpus \(gpus) / --slices \(slices) = \(chips) chips per slice: "
                                    + "\(name) offers no slice of \(chips) chips (\(offeredText(torus)))", field: "slices")
            }
            return TorusSlices(count: slices, shape: shape)
        }
        // The fewest equal slices, each one the generation offers: the largest offered slice
        // size that divides the chips.
        for chips in torus.offeredSliceChips(upTo: torus.maxSliceChips).reversed() where gpus.isMultiple(of: chips) {
            if let shape = torus.offeredSliceShape(chips: chips) {
                return TorusSlices(count: gpus / chips, shape: shape)
            }
        }
        throw TopologyError(.invalidGPUCount, "--gpus \(gpus) splits into no equal slices that \(name) offers "
                            + "(\(offeredText(torus)))", field: "gpus")
    }

    /// This cluster as one job of `slices` sees it: the scale-up domain is the job's slice
    /// (`acceleratorsPerNode` = chips per slice), so groups that cross slices go over DCN.
    public func restricted(to slices: TorusSlices) -> ClusterTopology {
        var copy = self
        copy.torus?.jobSlice = slices.shape
        return copy
    }

    /// The cluster's name, with the job's slices on a torus restricted to them: `tpu-v4, 2 slices
    /// of 12x16x16` for 6,144 chips.
    public func jobLabel(gpus: Int) -> String {
        guard let slice = torus?.jobSlice, !slice.isEmpty else { return name }
        let chips = slice.reduce(1, *)
        let count = chips > 0 ? gpus / chips : 0
        let shape = slice.map(String.init).joined(separator: "x")
        return "\(name), \(count) slice\(count == 1 ? "" : "s") of \(shape)"
    }

    private func offeredText(_ torus: TorusSpec) -> String {
        let sizes = torus.offeredSliceChips(upTo: torus.maxSliceChips)
        let shown = sizes.count > 8 ? sizes.prefix(6).map(String.init) + ["...", String(sizes.last ?? 0)]
                                    : sizes.map(String.init)
        return "slices of " + shown.joined(separator: ", ") + " chips"
    }
}

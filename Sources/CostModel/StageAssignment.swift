/// Which transformer layers each pipeline stage holds. Megatron splits layers evenly; when the
/// count does not divide, the extra layers go to the middle stages so that the first stage
/// (embedding, most activations in flight) and the last stage (logits) stay lighter, as
/// Megatron's `--decoder-first/last-pipeline-num-layers` allow.
public struct StageAssignment: Sendable, Hashable {
    public var stages: Int
    public var layers: Int

    public init(stages: Int, layers: Int) {
        self.stages = max(stages, 1)
        self.layers = layers
    }

    /// Layers on stage `index` (0-based).
    public func layers(onStage index: Int) -> Int {
        let base = layers / stages
        let extra = layers % stages
        guard extra > 0 else { return base }
        // Extra layers on the `extra` stages centred in the pipeline.
        let first = (stages - extra) / 2
        return (index >= first && index < first + extra) ? base + 1 : base
    }

    /// Index of the first layer of stage `index`: the layers of the stages before it, in closed
    /// form (index x base, plus the extra layers of the centred stages before it), O(1).
    public func firstLayer(ofStage index: Int) -> Int {
        guard index > 0 else { return 0 }
        let base = layers / stages
        let extra = layers % stages
        let first = (stages - extra) / 2
        let extrasBefore = extra > 0 ? min(max(index - first, 0), extra) : 0
        return index * base + extrasBefore
    }
}

extension LayerGeometry {
    /// MoE layers among layers [start, end): after `denseLayers` leading dense layers, every
    /// `frequency`-th layer is MoE (Qwen2-MoE: (i + 1) % decoder_sparse_step == 0).
    public func moeLayers(from start: Int, to end: Int, leadingDense: Int, frequency: Int) -> Int {
        guard moeLayers > 0, end > start else { return 0 }
        let f = max(frequency, 1)
        func moeBelow(_ x: Int) -> Int {
            let sparse = x - leadingDense
            return sparse <= 0 ? 0 : sparse / f
        }
        return moeBelow(end) - moeBelow(start)
    }
}

import CostModel

/// How a framework's flags can split `layers` over `stages` pipeline ranks with `virtual`
/// chunks each, keeping the cost model's bottleneck: no stage holds more than
/// ceil(layers / stages) layers (`StageAssignment`'s largest stage).
public struct PipelineSplit: Sendable, Hashable {
    /// Layers on the first and last stage, and on each middle stage.
    public var first: Int
    public var last: Int
    public var middle: Int
    public var isEven: Bool { first == middle && last == middle }

    /// Megatron-Core's split (`TransformerConfig.__post_init__`): even when `layers` divides by
    /// stages x virtual; else `--decoder-first/last-pipeline-num-layers` F and L with the middle
    /// stages sharing the rest evenly, and F, L and the middle stages' layers each divisible by
    /// `virtual`. `StageAssignment`'s own split (the extra layers on the middle stages) when
    /// Megatron can express it, else the first stage as heavy as the bottleneck allows, then the
    /// last (Llama 3.1 405B on PP 16 x VPP 2: 8, 14 x 8, 6). Throws when none keeps the bottleneck.
    public static func megatron(layers: Int, stages: Int, virtual: Int) throws -> PipelineSplit {
        let v = max(virtual, 1)
        if layers % (stages * v) == 0 {
            let per = layers / stages
            return PipelineSplit(first: per, last: per, middle: per)
        }
        let ceiling = (layers + stages - 1) / stages
        let assigned = StageAssignment(stages: stages, layers: layers)
        let middles = Set((1..<max(stages - 1, 1)).map { assigned.layers(onStage: $0) })
        let (f, l) = (assigned.layers(onStage: 0), assigned.layers(onStage: stages - 1))
        if stages > 2, middles.count == 1, let m = middles.first, f % v == 0, l % v == 0, m % v == 0 {
            return PipelineSplit(first: f, last: l, middle: m)
        }
        for first in stride(from: ceiling, through: 1, by: -1) where first % v == 0 {
            for last in stride(from: ceiling, through: 1, by: -1) where last % v == 0 {
                let rest = layers - first - last
                if stages == 2 {
                    if rest == 0 { return PipelineSplit(first: first, last: last, middle: 0) }
                    continue
                }
                guard rest > 0, rest % (stages - 2) == 0 else { continue }
                let middle = rest / (stages - 2)
                if middle <= ceiling && middle % v == 0 {
                    return PipelineSplit(first: first, last: last, middle: middle)
                }
            }
        }
        throw EmitError("--emit megatron: \(layers) layers do not split over \(stages) pipeline stages x \(v) virtual stages "
            + "with at most \(ceiling) layers per stage and every stage's layers divisible by \(v) (Megatron's uneven-stage rule)")
    }
}

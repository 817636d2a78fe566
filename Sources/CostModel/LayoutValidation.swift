import Hardware
import Workloads

/// A layout that cannot run, with the one line that says which value breaks which constraint.
public struct LayoutError: Error, CustomStringConvertible, Sendable, Hashable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// The constraints Megatron-LM / Megatron-Core enforce on a layout (megatron/training/arguments.py
/// and parallel_state), checked before any estimate so the cost model only sees valid layouts.
public enum LayoutValidation {
    public static func check(_ layout: ParallelLayout, recipe: TrainingRecipe, model: TransformerModel, cluster: ClusterTopology,
                             gpus: Int? = nil) throws {
        let positive: [(String, Int)] = [
            ("--tp", layout.tp), ("--pp", layout.pp), ("--dp", layout.dp), ("--cp", layout.cp), ("--ep", layout.ep),
            ("--vpp", layout.vpp), ("--micro-batch", layout.microBatch), ("--global-batch", layout.globalBatch),
            ("--seq", layout.seq),
        ]
        for (flag, value) in positive where value < 1 {
            throw LayoutError("\(flag) \(value) must be a positive integer")
        }
        if let problem = sequenceLengthProblem(layout.seq) { throw LayoutError(problem) }
        for (flag, value) in positive where value > CostModelConstants.maximumLayoutDimension {
            throw LayoutError("\(flag) \(value) is too large (at most \(CostModelConstants.maximumLayoutDimension))")
        }
        guard (0...3).contains(layout.zero) else {
            throw LayoutError("--zero \(layout.zero) must be 0, 1, 2 or 3")
        }
        let (product, overflow) = layout.tp.multipliedReportingOverflow(by: layout.pp)
        let (product2, overflow2) = product.multipliedReportingOverflow(by: layout.cp)
        let (total, overflow3) = product2.multipliedReportingOverflow(by: layout.dp)
        if overflow || overflow2 || overflow3 || total > 10_000_000 {
            throw LayoutError("tp x pp x cp x dp is too large")
        }
        if let gpus, total != gpus {
            throw LayoutError("--gpus \(gpus) is not tp x pp x cp x dp = \(layout.tp) x \(layout.pp) x \(layout.cp) x \(layout.dp) = \(total)")
        }
        if model.heads % layout.tp != 0 {
            throw LayoutError("--tp \(layout.tp) does not divide \(model.heads) attention heads")
        }
        if model.mla == nil && model.kvHeads % layout.tp != 0 {
            throw LayoutError("--tp \(layout.tp) does not divide \(model.kvHeads) key/value heads")
        }
        if model.ffn % layout.tp != 0 {
            throw LayoutError("--tp \(layout.tp) does not divide the MLP width \(model.ffn)")
        }
        if layout.pp > model.layers {
            throw LayoutError("--pp \(layout.pp) is larger than the \(model.layers) layers")
        }
        if layout.vpp > 1 {
            if layout.pp < 2 {
                throw LayoutError("--vpp \(layout.vpp) needs --pp of at least 2 (interleaving splits pipeline stages)")
            }
            // Megatron-Core splits uneven layer counts with lighter first/last stages
            // (--decoder-first/last-pipeline-num-layers); each virtual stage needs a layer.
            if model.layers < layout.pp * layout.vpp {
                throw LayoutError("--vpp \(layout.vpp) x --pp \(layout.pp) is more than the \(model.layers) layers")
            }
            if !recipe.framework.profile.supportsInterleaving {
                throw LayoutError("--vpp \(layout.vpp): \(recipe.framework.rawValue) has no interleaved pipeline schedule")
            }
        }
        let perStep = layout.microBatch * layout.dp
        if layout.globalBatch % perStep != 0 {
            throw LayoutError("--global-batch \(layout.globalBatch) is not divisible by micro-batch x dp = \(layout.microBatch) x \(layout.dp) = \(perStep)")
        }
        if layout.vpp > 1 && layout.microBatchesPerReplica % layout.pp != 0 {
            throw LayoutError("interleaved schedule needs micro-batches per replica (\(layout.microBatchesPerReplica)) divisible by --pp \(layout.pp)")
        }
        if layout.cp > 1 && layout.seq % (2 * layout.cp) != 0 {
            throw LayoutError("--cp \(layout.cp): sequence \(layout.seq) is not divisible by 2 x cp (load-balanced context parallelism)")
        }
        if layout.ep > 1 {
            guard let moe = model.moe else {
                throw LayoutError("--ep \(layout.ep) needs a mixture-of-experts model; \(model.name) is dense")
            }
            if moe.experts % layout.ep != 0 {
                throw LayoutError("--ep \(layout.ep) does not divide \(moe.experts) experts")
            }
            if (layout.dp * layout.cp) % layout.ep != 0 {
                throw LayoutError("--ep \(layout.ep) does not divide dp x cp = \(layout.dp * layout.cp)")
            }
        }
        if layout.microBatch.multipliedReportingOverflow(by: layout.seq).overflow {
            throw LayoutError("--micro-batch x --seq overflows")
        }
    }

    /// The sequence length when none is given (`CostModelConstants.defaultSequenceCap`).
    public static func defaultSequenceLength(for model: TransformerModel) -> Int {
        min(model.maxSeq, CostModelConstants.defaultSequenceCap)
    }

    /// What is wrong with sequence length `seq`, as the one line every command prints, or nil.
    public static func sequenceLengthProblem(_ seq: Int) -> String? {
        let limit = CostModelConstants.maximumSequenceLength
        return seq < 1 || seq > limit ? "--seq \(seq) must be between 1 and \(limit)" : nil
    }

    /// Warnings that do not stop an estimate (for stderr).
    public static func warnings(_ layout: ParallelLayout, model: TransformerModel) -> [String] {
        var out: [String] = []
        if layout.seq > model.maxSeq {
            out.append("--seq \(layout.seq) is longer than the \(model.maxSeq) tokens \(model.name) was trained for")
        }
        return out
    }
}

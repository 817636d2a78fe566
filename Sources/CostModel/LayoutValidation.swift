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
        let problems = [
            precisionProblem(recipe.precision, accelerator: cluster.accelerator),
            tensorParallelProblem(layout.tp, model: model,
                                  replicatesKeyValueHeads: recipe.framework.profile.replicatesKeyValueHeads),
            shardGroupProblem(layout),
            pipelineProblem(layout.pp, model: model),
            virtualStagesProblem(layout.vpp, pp: layout.pp, model: model, recipe: recipe),
            batchProblem(globalBatch: layout.globalBatch, microBatch: layout.microBatch, dp: layout.dp),
            interleavingBatchProblem(vpp: layout.vpp, pp: layout.pp, microBatchesPerReplica: layout.microBatchesPerReplica),
            contextProblem(layout.cp, seq: layout.seq),
            expertProblem(layout.ep, dp: layout.dp, cp: layout.cp, model: model),
            FineTuneValidation.problem(recipe: recipe, model: model, cluster: cluster),
        ]
        if let problem = problems.lazy.compactMap({ $0 }).first { throw LayoutError(problem) }
        if layout.microBatch.multipliedReportingOverflow(by: layout.seq).overflow {
            throw LayoutError("--micro-batch x --seq overflows")
        }
    }

    // MARK: The rules, one per dimension (the planner's search space asks the same ones)

    /// The accelerator must have tensor cores for the recipe's GEMM format (FP8 from Hopper and
    /// Ada, FP4 from Blackwell; no FP8 on A100 or TPU v4): its peak in the topology is above 0.
    public static func precisionProblem(_ precision: Precision, accelerator: Accelerator) -> String? {
        let format = precision.linearMatmulFormat
        guard format.peakTFLOPS(accelerator) <= 0 else { return nil }
        let key: String
        switch format {
        case .fp32: key = "fp32"
        case .sixteenBit: key = "bf16 and fp16"
        case .fp8: key = "fp8"
        case .fp4: key = "fp4"
        }
        return "--precision \(precision.rawValue): \(accelerator.name) has no \(key) tensor cores "
            + "(peak_tflops.\(key == "bf16 and fp16" ? "bf16" : key) is 0 in its topology)"
    }

    /// TP must divide the attention heads, the key/value heads (not for MLA, whose latent K/V
    /// are split by head after the up-projection) and the MLP width. A framework that replicates
    /// K/V heads (`FrameworkProfile.replicatesKeyValueHeads`: MaxText, PaLM's 12-way TP over one
    /// K/V head) takes a tp that is a multiple of the K/V heads instead.
    public static func tensorParallelProblem(_ tp: Int, model: TransformerModel,
                                             replicatesKeyValueHeads: Bool = false) -> String? {
        if model.heads % tp != 0 { return "--tp \(tp) does not divide \(model.heads) attention heads" }
        if model.mla == nil && model.kvHeads % tp != 0 {
            if !replicatesKeyValueHeads {
                return "--tp \(tp) does not divide \(model.kvHeads) key/value heads"
            }
            if tp % model.kvHeads != 0 {
                return "--tp \(tp) is neither a divisor nor a multiple of \(model.kvHeads) key/value heads"
            }
        }
        if model.ffn % tp != 0 { return "--tp \(tp) does not divide the MLP width \(model.ffn)" }
        return nil
    }

    /// HSDP: the shard group divides dp x cp and shards model states (ZeRO >= 1).
    public static func shardGroupProblem(_ layout: ParallelLayout) -> String? {
        guard let group = layout.shardGroup else { return nil }
        if group < 1 { return "--fsdp \(group) must be a positive integer" }
        let ranks = layout.dp * layout.cp
        if ranks % group != 0 { return "--fsdp \(group) does not divide dp x cp = \(ranks)" }
        if layout.zero == 0 && group != ranks {
            return "--fsdp \(group) shards model states, which needs --zero 1, 2 or 3 (zero is 0)"
        }
        if group % layout.ep != 0 { return "--fsdp \(group) is not a multiple of --ep \(layout.ep)" }
        return nil
    }

    /// At most one pipeline stage per layer (`StageAssignment` spreads uneven counts).
    public static func pipelineProblem(_ pp: Int, model: TransformerModel) -> String? {
        pp > model.totalLayerCount ? "--pp \(pp) is larger than the \(model.totalLayerCount) layers" : nil
    }

    /// Interleaving needs PP >= 2, a layer per virtual stage (Megatron-Core splits uneven layer
    /// counts with lighter first/last stages, --decoder-first/last-pipeline-num-layers; where the
    /// framework may count the embedding and the loss as layers of the split,
    /// `FrameworkProfile.countsEmbeddingAndLossInPipelineSplit`, up to layers + 2 virtual stages)
    /// and a framework with an interleaved schedule.
    public static func virtualStagesProblem(_ vpp: Int, pp: Int, model: TransformerModel,
                                            recipe: TrainingRecipe) -> String? {
        guard vpp > 1 else { return nil }
        if pp < 2 { return "--vpp \(vpp) needs --pp of at least 2 (interleaving splits pipeline stages)" }
        let (virtualStages, overflow) = pp.multipliedReportingOverflow(by: vpp)
        let layers = model.totalLayerCount
        let countsEmbeddingAndLoss = recipe.framework.profile.countsEmbeddingAndLossInPipelineSplit
        if overflow || virtualStages > layers + (countsEmbeddingAndLoss ? 2 : 0) {
            return "--vpp \(vpp) x --pp \(pp) is more than the \(layers) layers"
                + (countsEmbeddingAndLoss ? " plus the embedding and the loss" : "")
        }
        if virtualStages > layers && (layers + 2) % virtualStages != 0 {
            // Megatron-Core then needs the embedding and the loss counted in the split, and
            // layers + 2 divisible by pp and the per-rank count by vpp.
            return "--vpp \(vpp) x --pp \(pp) is more than the \(layers) layers, and \(layers) + 2 "
                + "(the embedding and the loss counted as layers) does not divide into \(virtualStages) virtual stages"
        }
        if !recipe.framework.profile.supportsInterleaving {
            return "--vpp \(vpp): \(recipe.framework.rawValue) has no interleaved pipeline schedule"
        }
        return nil
    }

    /// The global batch splits into micro-batches over the data-parallel replicas.
    public static func batchProblem(globalBatch: Int, microBatch: Int, dp: Int) -> String? {
        let (perStep, overflow) = microBatch.multipliedReportingOverflow(by: dp)
        return overflow || perStep < 1 || globalBatch % perStep != 0
            ? "--global-batch \(globalBatch) is not divisible by micro-batch x dp = \(microBatch) x \(dp) = \(perStep)" : nil
    }

    /// Interleaved 1F1B runs micro-batches in groups of PP (Megatron-Core's schedule).
    public static func interleavingBatchProblem(vpp: Int, pp: Int, microBatchesPerReplica: Int) -> String? {
        vpp > 1 && microBatchesPerReplica % pp != 0
            ? "interleaved schedule needs micro-batches per replica (\(microBatchesPerReplica)) divisible by --pp \(pp)"
            : nil
    }

    /// Load-balanced ring attention cuts the sequence into 2 x CP chunks.
    public static func contextProblem(_ cp: Int, seq: Int) -> String? {
        cp > 1 && (cp > seq || seq % (2 * cp) != 0)
            ? "--cp \(cp): sequence \(seq) is not divisible by 2 x cp (load-balanced context parallelism)" : nil
    }

    /// EP needs a mixture-of-experts model, divides its experts and the DP x CP ranks.
    public static func expertProblem(_ ep: Int, dp: Int, cp: Int, model: TransformerModel) -> String? {
        guard ep > 1 else { return nil }
        guard let moe = model.moe else { return "--ep \(ep) needs a mixture-of-experts model; \(model.name) is dense" }
        if moe.experts % ep != 0 { return "--ep \(ep) does not divide \(moe.experts) experts" }
        if (dp * cp) % ep != 0 { return "--ep \(ep) does not divide dp x cp = \(dp * cp)" }
        return nil
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

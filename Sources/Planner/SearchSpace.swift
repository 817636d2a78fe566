import CostModel
import Workloads

/// One outer cell of the search: the process-group sizes. The inner loop (`CellSearch`) varies
/// ZeRO, micro-batch, virtual stages, recomputation and sequence parallelism inside it.
struct SearchCell: Sendable, Hashable {
    var tp: Int
    var pp: Int
    var cp: Int
    var dp: Int
    var ep: Int
    var gpus: Int
    /// HSDP shard group (`ParallelLayout.shardGroup`); nil = all of dp x cp.
    var shardGroup: Int? = nil
}

/// The layouts the planner considers for a request: which values each dimension may take.
/// Every layout it yields passes `LayoutValidation.check` (the Megatron constraints): each
/// dimension is filtered by `LayoutValidation`'s rule for it (`tensorParallelProblem`,
/// `pipelineProblem`, `contextProblem`, `expertProblem`, `virtualStagesProblem`,
/// `batchProblem`, `interleavingBatchProblem`), and the search adds its own policies (TP
/// within a node, CP a power of two, searched VPP dividing the layers evenly). In short:
/// - TP divides the GPUs, the attention heads, the key/value heads (not for MLA) and the MLP
///   width, and stays inside a node unless `allowCrossNodeTP` (then it must still divide or be
///   a multiple of the node size, so a TP group never straddles a node boundary unevenly);
/// - PP divides the GPUs left by TP and is at most the layer count; it need not divide the
///   layers (`StageAssignment` puts the extra layers on the middle stages);
/// - CP is a power of two with seq divisible by 2 x CP (load-balanced ring attention);
/// - DP = GPUs / (TP x PP x CP) divides the global batch;
/// - EP (MoE only) divides the experts and DP x CP;
/// - the micro-batch divides the per-replica batch; VPP > 1 needs PP >= 2, layers divisible by
///   PP x VPP (a VPP fixed by the caller: at least one layer per virtual stage), a framework with
///   interleaving and micro-batches per replica divisible by PP;
/// - sequence parallelism only with TP > 1 (always with TP under a JAX-sharding framework,
///   which shards activations over the tensor axis);
/// - on a TPU torus with several slices (`torusSlices`), ZeRO >= 1 shards over all of dp x cp
///   (MaxText's fsdp axis across DCN) or within each slice (HSDP: fsdp axis per slice, data
///   axis over DCN), unless `--fsdp` fixes the shard group.
struct SearchSpace: Sendable {
    let model: TransformerModel
    let gpusPerNode: Int
    /// The scale-up domains are torus slices joined over DCN (the shard group is searched).
    let torusSlices: Bool
    let request: PlanRequest
    let zeros: [Int]
    /// The recipe variants (recomputation policies) searched in every layout.
    let recipes: [TrainingRecipe]

    init(model: TransformerModel, gpusPerNode: Int, request: PlanRequest, torusSlices: Bool = false) {
        self.model = model
        self.gpusPerNode = max(gpusPerNode, 1)
        self.torusSlices = torusSlices
        self.request = request
        let fixed = request.constraints
        zeros = fixed.zero.map { (0...3).contains($0) ? [$0] : [] } ?? [0, 1, 2, 3]
        // Resolved once: the inner loop then reads stored switches, not the framework profile.
        recipes = fixed.recipeVariants.map(\.resolved)
    }

    /// Whether the framework can run ZeRO stage `zero` in `cell`: any stage, except under a
    /// JAX-sharding framework (MaxText), which shards weights, gradients and optimizer state
    /// together over its fsdp and sequence axes or replicates them (`JAXMesh.shardRanks`).
    func expresses(zero: Int, cell: SearchCell) -> Bool {
        guard request.constraints.recipe.framework.profile.jaxSharding else { return true }
        return JAXMesh.shardRanks(zero: zero, dp: cell.dp, cp: cell.cp, shardGroup: cell.shardGroup) != nil
    }

    /// Positive divisors of `n`, ascending (n is at most the validated GPU count).
    static func divisors(of n: Int) -> [Int] {
        guard n > 0 else { return [] }
        var small: [Int] = []
        var large: [Int] = []
        var d = 1
        while d <= n / d {
            if n % d == 0 {
                small.append(d)
                if d != n / d { large.append(n / d) }
            }
            d += 1
        }
        return small + large.reversed()
    }

    func tensorSizes(gpus: Int) -> [Int] {
        func splitsTheModel(_ tp: Int) -> Bool {
            tp > 0 && gpus % tp == 0 && LayoutValidation.tensorParallelProblem(
                tp, model: model,
                replicatesKeyValueHeads: request.constraints.recipe.framework.profile.replicatesKeyValueHeads) == nil
        }
        // A fixed TP may cross nodes (the caller asked for it) but must split the model.
        if let tp = request.constraints.tp { return splitsTheModel(tp) ? [tp] : [] }
        return Self.divisors(of: gpus).filter { tp in
            guard splitsTheModel(tp) else { return false }
            if request.allowCrossNodeTP {
                return gpusPerNode % tp == 0 || tp % gpusPerNode == 0
            }
            return tp <= gpusPerNode && gpusPerNode % tp == 0
        }
    }

    func pipelineSizes(remaining: Int) -> [Int] {
        func splitsTheLayers(_ pp: Int) -> Bool { LayoutValidation.pipelineProblem(pp, model: model) == nil }
        if let pp = request.constraints.pp { return pp > 0 && splitsTheLayers(pp) && remaining % pp == 0 ? [pp] : [] }
        return Self.divisors(of: remaining).filter(splitsTheLayers)
    }

    func contextSizes(remaining: Int) -> [Int] {
        let seq = request.seq
        if let cp = request.constraints.cp {
            guard cp > 0, remaining % cp == 0, LayoutValidation.contextProblem(cp, seq: seq) == nil else { return [] }
            return [cp]
        }
        var sizes: [Int] = []
        var cp = 1
        while cp <= remaining && LayoutValidation.contextProblem(cp, seq: seq) == nil {
            if remaining % cp == 0 { sizes.append(cp) }
            cp *= 2
        }
        return sizes
    }

    func expertSizes(dp: Int, cp: Int) -> [Int] {
        func allowed(_ ep: Int) -> Bool {
            ep > 0 && LayoutValidation.expertProblem(ep, dp: dp, cp: cp, model: model) == nil
        }
        if let ep = request.constraints.ep { return allowed(ep) ? [ep] : [] }
        guard let moe = model.moe else { return [1] }
        return Self.divisors(of: moe.experts).filter(allowed)
    }

    /// The outer cells for one GPU count.
    func cells(gpus: Int) -> [SearchCell] {
        var cells: [SearchCell] = []
        let batch = request.globalBatch
        for tp in tensorSizes(gpus: gpus) {
            for pp in pipelineSizes(remaining: gpus / tp) {
                for cp in contextSizes(remaining: gpus / (tp * pp)) {
                    let dp = gpus / (tp * pp * cp)
                    if let fixed = request.constraints.dp, fixed != dp { continue }
                    let microBatch = request.constraints.microBatch ?? 1
                    guard microBatch >= 1,
                          LayoutValidation.batchProblem(globalBatch: batch, microBatch: microBatch, dp: dp) == nil
                    else { continue }
                    for ep in expertSizes(dp: dp, cp: cp) {
                        for group in shardGroups(dp: dp, cp: cp, ep: ep, gpus: gpus) {
                            cells.append(SearchCell(tp: tp, pp: pp, cp: cp, dp: dp, ep: ep, gpus: gpus, shardGroup: group))
                        }
                    }
                }
            }
        }
        return cells
    }

    /// Shard groups to try: the fixed one (`--fsdp`), else all of dp x cp and, on several torus
    /// slices, one slice's share of it (HSDP with the replicas across slices).
    func shardGroups(dp: Int, cp: Int, ep: Int, gpus: Int) -> [Int?] {
        let ranks = dp * cp
        if let fixed = request.constraints.shardGroup {
            let layout = ParallelLayout(dp: dp, cp: cp, ep: ep, zero: 3, shardGroup: fixed)
            return LayoutValidation.shardGroupProblem(layout) == nil ? [fixed == ranks ? nil : fixed] : []
        }
        let slices = gpus / gpusPerNode
        guard torusSlices, slices > 1, gpus % gpusPerNode == 0, ranks % slices == 0 else { return [nil] }
        let perSlice = ranks / slices
        return perSlice > 1 && perSlice % ep == 0 ? [nil, perSlice] : [nil]
    }

    /// Sequence-parallel choices for a TP size: both when TP > 1, else off (unless fixed); on
    /// with TP under a JAX-sharding framework.
    func sequenceParallelRange(tp: Int) -> ClosedRange<Int> {
        if let fixed = request.constraints.sequenceParallel { return fixed ? 1...1 : 0...0 }
        if request.constraints.recipe.framework.profile.jaxSharding { return tp > 1 ? 1...1 : 0...0 }
        return tp > 1 ? 0...1 : 0...0
    }

    /// Whether `vpp` virtual stages are allowed for this cell and micro-batch count.
    @inline(__always)
    func allowsVirtualStages(_ vpp: Int, pp: Int, microBatches: Int) -> Bool {
        if vpp == 1 { return true }
        guard vpp > 1, request.constraints.schedule == .oneForwardOneBackward,
              LayoutValidation.virtualStagesProblem(vpp, pp: pp, model: model, recipe: request.constraints.recipe) == nil,
              LayoutValidation.interleavingBatchProblem(vpp: vpp, pp: pp, microBatchesPerReplica: microBatches) == nil
        else { return false }
        // Searched: layers divisible by pp x vpp (the search's policy). Fixed by the caller: any
        // split with at least one layer per virtual stage, as `LayoutValidation` accepts.
        return request.constraints.vpp != nil || model.layers % (pp * vpp) == 0
    }

    /// Largest virtual-stage count to try for a pipeline size (never above the layer count, so
    /// a huge fixed `--vpp` yields no layouts instead of an overflowing loop).
    func maxVirtualStages(pp: Int) -> Int {
        if let vpp = request.constraints.vpp { return min(vpp, model.layers) }
        return pp >= 2 ? max(model.layers / pp, 1) : 1
    }

    /// Layouts inside a cell for one ZeRO stage (for counting what a bound prunes).
    func innerCount(_ cell: SearchCell) -> Int {
        let perReplica = request.globalBatch / cell.dp
        let spChoices = sequenceParallelRange(tp: cell.tp).count
        var count = 0
        forEachMicroBatch(perReplica: perReplica) { mb in
            let m = perReplica / mb
            let lowest = request.constraints.vpp ?? 1
            var v = lowest
            while v <= maxVirtualStages(pp: cell.pp) {
                if allowsVirtualStages(v, pp: cell.pp, microBatches: m) { count += recipes.count * spChoices }
                v += 1
            }
        }
        return count
    }

    /// Calls `body` with every allowed micro-batch size, ascending: the divisors of the
    /// per-replica batch, found up to its square root (O(sqrt n), no allocation).
    @inline(__always)
    func forEachMicroBatch(perReplica n: Int, _ body: (Int) -> Void) {
        if let mb = request.constraints.microBatch {
            if mb >= 1 && n % mb == 0 { body(mb) }
            return
        }
        guard n >= 1 else { return }
        var d = 1
        while d <= n / d {
            if n % d == 0 { body(d) }
            d += 1
        }
        d -= 1
        while d >= 1 {
            if n % d == 0 && d != n / d { body(n / d) }
            d -= 1
        }
    }
}

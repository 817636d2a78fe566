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
}

/// The layouts the planner considers for a request: which values each dimension may take.
/// Every layout it yields passes `LayoutValidation.check` (the Megatron constraints), so the
/// cost model never sees an invalid one:
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
/// - sequence parallelism only with TP > 1.
struct SearchSpace: Sendable {
    let model: TransformerModel
    let gpusPerNode: Int
    let request: PlanRequest
    let zeros: [Int]
    /// The recipe variants (recomputation policies) searched in every layout.
    let recipes: [TrainingRecipe]

    init(model: TransformerModel, gpusPerNode: Int, request: PlanRequest) {
        self.model = model
        self.gpusPerNode = max(gpusPerNode, 1)
        self.request = request
        let fixed = request.constraints
        zeros = fixed.zero.map { (0...3).contains($0) ? [$0] : [] } ?? [0, 1, 2, 3]
        recipes = fixed.recipeVariants
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
            guard tp > 0, gpus % tp == 0, model.heads % tp == 0, model.ffn % tp == 0 else { return false }
            return model.mla != nil || model.kvHeads % tp == 0
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
        if let pp = request.constraints.pp { return pp > 0 && pp <= model.layers && remaining % pp == 0 ? [pp] : [] }
        return Self.divisors(of: remaining).filter { $0 <= model.layers }
    }

    func contextSizes(remaining: Int) -> [Int] {
        let seq = request.seq
        if let cp = request.constraints.cp {
            guard cp > 0, remaining % cp == 0, cp == 1 || seq % (2 * cp) == 0 else { return [] }
            return [cp]
        }
        var sizes: [Int] = []
        var cp = 1
        while cp <= remaining && (cp == 1 || seq % (2 * cp) == 0) {
            if remaining % cp == 0 { sizes.append(cp) }
            cp *= 2
        }
        return sizes
    }

    func expertSizes(dp: Int, cp: Int) -> [Int] {
        let shards = dp * cp
        guard let moe = model.moe else {
            if let ep = request.constraints.ep { return ep == 1 ? [1] : [] }
            return [1]
        }
        if let ep = request.constraints.ep {
            return ep > 0 && moe.experts % ep == 0 && shards % ep == 0 ? [ep] : []
        }
        return Self.divisors(of: moe.experts).filter { shards % $0 == 0 }
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
                    guard batch % dp == 0 else { continue }
                    if let mb = request.constraints.microBatch, mb < 1 || (batch / dp) % mb != 0 { continue }
                    for ep in expertSizes(dp: dp, cp: cp) {
                        cells.append(SearchCell(tp: tp, pp: pp, cp: cp, dp: dp, ep: ep, gpus: gpus))
                    }
                }
            }
        }
        return cells
    }

    /// Sequence-parallel choices for a TP size: both when TP > 1, else off (unless fixed).
    func sequenceParallelRange(tp: Int) -> ClosedRange<Int> {
        if let fixed = request.constraints.sequenceParallel { return fixed ? 1...1 : 0...0 }
        return tp > 1 ? 0...1 : 0...0
    }

    /// Whether `vpp` virtual stages are allowed for this cell and micro-batch count.
    @inline(__always)
    func allowsVirtualStages(_ vpp: Int, pp: Int, microBatches: Int) -> Bool {
        if vpp == 1 { return true }
        guard vpp > 1, pp >= 2, request.constraints.schedule == .oneForwardOneBackward,
              request.constraints.recipe.framework.profile.supportsInterleaving else { return false }
        guard microBatches % pp == 0 else { return false }
        // Searched: layers divisible by pp x vpp. Fixed by the caller: any split with at least
        // one layer per virtual stage, as `LayoutValidation` accepts (uneven interleaving).
        if request.constraints.vpp != nil { return model.layers >= pp * vpp }
        return model.layers % (pp * vpp) == 0
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

import CostModel
import Hardware
import Workloads

/// Discrete-event simulation of one training step by list scheduling: each rank's compute
/// stream runs its passes in the schedule's order, a pass starting when the stream is free and
/// its inputs have arrived; every finished pass queues its p2p send on the rank's p2p stream;
/// after the passes come the data-parallel reductions (bucket by bucket behind each chunk's last
/// backward when `effectiveOverlapGradReduce`) and the optimizer step.
///
/// Dependencies: F(mb, virtual stage u) after F(mb, u - 1) and its transfer; B(mb, u) after
/// F(mb, u) and after B(mb, u + 1) and its transfer. Cost O(tasks).
public struct StepSimulator: Sendable {
    public let model: TransformerModel
    public let cluster: ClusterTopology

    /// Forward passes (pp x vpp x micro-batches) one simulation handles: ~4 tasks of ~50 bytes
    /// each per pass bounds its memory to a few hundred MB. Megatron's 1T layout needs 32,768.
    public static let maximumPasses = 2_000_000

    public init(model: TransformerModel, cluster: ClusterTopology) {
        self.model = model
        self.cluster = cluster
    }

    /// Simulates one step of `layout` (validate it first with `LayoutValidation.check`).
    public func simulate(_ layout: ParallelLayout, recipe: TrainingRecipe) throws -> SimulationResult {
        let costs = StageCostModel.costs(model: model, cluster: cluster, layout: layout, recipe: recipe)
        return try Self.simulate(costs: costs, layout: layout)
    }

    /// Simulates one step from given per-rank costs (tests use hand-made costs).
    public static func simulate(costs: [StageCosts], layout: ParallelLayout) throws -> SimulationResult {
        let p = costs.count
        let m = layout.microBatchesPerReplica
        let v = max(layout.vpp, 1)
        guard p == max(layout.pp, 1), p >= 1 else {
            throw SimulationError("costs for \(costs.count) stages do not match --pp \(layout.pp)")
        }
        guard m >= 1 else {
            throw SimulationError("--global-batch \(layout.globalBatch) gives no micro-batch per replica "
                + "(micro-batch \(layout.microBatch) x dp \(layout.dp))")
        }
        let (pv, o1) = p.multipliedReportingOverflow(by: v)
        let (slots, o2) = pv.multipliedReportingOverflow(by: m)
        guard !o1, !o2, slots <= Self.maximumPasses else {
            throw SimulationError("pp x vpp x micro-batches = \(p) x \(v) x \(m) is too many passes to simulate "
                + "(at most \(Self.maximumPasses))")
        }
        let ops = try (0..<p).map {
            try PipelineSchedule.operations(rank: $0, stages: p, microBatches: m, chunks: v, kind: layout.schedule)
        }
        let chunkLabel: (Int) -> Int? = { v > 1 ? $0 : nil }
        let virtualStages = pv

        // Per (virtual stage, micro-batch): when the pass ended, when its input arrived (-1: not yet).
        var forwardEnd = [Double](repeating: -1, count: slots)
        var forwardArrival = [Double](repeating: -1, count: slots)
        var backwardArrival = [Double](repeating: -1, count: slots)
        var next = [Int](repeating: 0, count: p)
        var computeFree = [Double](repeating: 0, count: p)
        var p2pFree = [Double](repeating: 0, count: p)
        var dpStreamFree = [Double](repeating: 0, count: p)
        // Per (rank, chunk): the last backward pass (start, duration).
        var lastBackward = [(start: Double, duration: Double)](repeating: (0, 0), count: pv)
        var tasks: [SimulationTask] = []
        tasks.reserveCapacity(4 * slots + 8 * p)

        var progress = true
        while progress {
            progress = false
            for s in 0..<p {
                let stageOps = ops[s]
                let cost = costs[s]
                while next[s] < stageOps.count {
                    let op = stageOps[next[s]]
                    let u = op.chunk * p + s
                    let slot = u * m + op.microBatch
                    let ready: Double
                    switch op.pass {
                    case .forward:
                        ready = u == 0 ? 0 : forwardArrival[slot]
                    case .backward:
                        let gradient = u == virtualStages - 1 ? 0 : backwardArrival[slot]
                        ready = forwardEnd[slot] < 0 || gradient < 0 ? -1 : max(forwardEnd[slot], gradient)
                    }
                    if ready < 0 { break }
                    let start = max(computeFree[s], ready)
                    let duration = op.pass == .forward ? cost.forward : cost.backward
                    let end = start + duration
                    computeFree[s] = end
                    if cost.perPassParameterGather + cost.perPassGradientScatter > 0 {
                        // ZeRO-3 / FSDP: the pass's gathers (and, in a backward, its gradient
                        // reduce-scatter) on the dp stream, inside the pass, whose duration holds
                        // their exposed part: from its start when prefetched unit by unit, else
                        // the gather first and the reduce-scatter at its end.
                        var scatterStart = start + cost.perPassParameterGather
                        if !cost.prefetchesParameters { scatterStart = max(scatterStart, end - cost.perPassGradientScatter) }
                        tasks.append(SimulationTask(stage: s, stream: .dp, kind: .paramAllGather, index: op.microBatch,
                                                    chunk: chunkLabel(op.chunk), start: start,
                                                    duration: cost.perPassParameterGather))
                        dpStreamFree[s] = start + cost.perPassParameterGather
                        if op.pass == .backward && cost.perPassGradientScatter > 0 {
                            tasks.append(SimulationTask(stage: s, stream: .dp, kind: .gradReduceScatter,
                                                        index: op.microBatch, chunk: chunkLabel(op.chunk),
                                                        start: scatterStart, duration: cost.perPassGradientScatter))
                            dpStreamFree[s] = scatterStart + cost.perPassGradientScatter
                        }
                    }
                    tasks.append(SimulationTask(stage: s, stream: .compute, kind: op.pass == .forward ? .forward : .backward,
                                                index: op.microBatch, chunk: chunkLabel(op.chunk), start: start,
                                                duration: duration))
                    if op.pass == .forward {
                        forwardEnd[slot] = end
                        if u + 1 < virtualStages {
                            let sendStart = max(p2pFree[s], end)
                            p2pFree[s] = sendStart + cost.p2p
                            forwardArrival[slot + m] = sendStart + cost.p2p
                            if cost.p2p > 0 {
                                tasks.append(SimulationTask(stage: s, stream: .p2p, kind: .sendForward, index: op.microBatch,
                                                            chunk: chunkLabel(op.chunk), start: sendStart, duration: cost.p2p))
                            }
                        }
                    } else {
                        lastBackward[s * v + op.chunk] = (start, duration)
                        if u > 0 {
                            let sendStart = max(p2pFree[s], end)
                            p2pFree[s] = sendStart + cost.p2p
                            backwardArrival[slot - m] = sendStart + cost.p2p
                            if cost.p2p > 0 {
                                tasks.append(SimulationTask(stage: s, stream: .p2p, kind: .sendBackward, index: op.microBatch,
                                                            chunk: chunkLabel(op.chunk), start: sendStart, duration: cost.p2p))
                            }
                        }
                    }
                    next[s] += 1
                    progress = true
                }
            }
        }
        if let stuck = (0..<p).first(where: { next[$0] < ops[$0].count }) {
            throw SimulationError("pipeline schedule deadlocks on stage \(stuck) at pass \(next[stuck]) of \(ops[stuck].count)")
        }
        let pipelineEnd = computeFree.max() ?? 0

        // Data-parallel reductions, the optimizer step, the weight all-gather. The reductions that
        // run while the stage still computes slow it down; what they cost is CostModel's overlap
        // rule (`CostModelConstants.exposedAfterOverlap(tail:hidden:)`, as `DataParallelTasks`
        // charges it in the estimate): the part past the stage's last pass plus the interference
        // on the part behind it.
        for s in 0..<p {
            let cost = costs[s]
            var dpFree = dpStreamFree[s]
            let passesEnd = computeFree[s]
            var hidden = 0.0
            if let kind = cost.gradientReduction {
                let taskKind: SimulationTaskKind = kind == .allReduce ? .gradAllReduce : .gradReduceScatter
                if cost.overlapsGradientReduction {
                    // Chunks in the order their last backward ran; bucket k of n is ready once
                    // (k + 1)/n of that backward is done.
                    let order = (0..<v).sorted { lastBackward[s * v + $0].start < lastBackward[s * v + $1].start }
                    var bucket = 0
                    let n = cost.bucketsPerChunk
                    for chunk in order {
                        let window = lastBackward[s * v + chunk]
                        for k in 0..<n {
                            let ready = window.start + window.duration * Double(k + 1) / Double(n)
                            let start = max(dpFree, ready)
                            dpFree = start + cost.bucketSeconds
                            hidden += max(0, min(dpFree, passesEnd) - start)
                            tasks.append(SimulationTask(stage: s, stream: .dp, kind: taskKind, index: bucket, chunk: nil,
                                                        start: start, duration: cost.bucketSeconds))
                            bucket += 1
                        }
                    }
                } else if cost.gradientReductionSeconds > 0 {
                    let start = computeFree[s]
                    dpFree = start + cost.gradientReductionSeconds
                    tasks.append(SimulationTask(stage: s, stream: .dp, kind: taskKind, index: 0, chunk: nil,
                                                start: start, duration: cost.gradientReductionSeconds))
                }
            }
            if cost.replicaAllReduceSeconds > 0 {
                // HSDP: the replicas' all-reduce, from the start of the stage's last backward when
                // overlapped (layer by layer as the reduce-scatters finish), else after it.
                let last = (0..<v).map { lastBackward[s * v + $0] }.max { $0.start < $1.start }
                let ready = cost.overlapsGradientReduction ? (last?.start ?? computeFree[s]) : computeFree[s]
                let start = max(dpFree, ready)
                dpFree = start + cost.replicaAllReduceSeconds
                hidden += max(0, min(dpFree, passesEnd) - start)
                tasks.append(SimulationTask(stage: s, stream: .dp, kind: .gradAllReduce, index: 0, chunk: nil,
                                            start: start, duration: cost.replicaAllReduceSeconds))
            }
            if cost.embeddingAllReduceSeconds > 0 {
                let start = max(dpFree, computeFree[s])
                dpFree = start + cost.embeddingAllReduceSeconds
                tasks.append(SimulationTask(stage: s, stream: .dp, kind: .embeddingAllReduce, index: 0, chunk: nil,
                                            start: start, duration: cost.embeddingAllReduceSeconds))
            }
            let optimizerStart = passesEnd + CostModelConstants.exposedAfterOverlap(tail: dpFree - passesEnd, hidden: hidden)
            computeFree[s] = optimizerStart + cost.optimizerSeconds
            if cost.optimizerSeconds > 0 {
                tasks.append(SimulationTask(stage: s, stream: .compute, kind: .optimizer, index: 0, chunk: nil,
                                            start: optimizerStart, duration: cost.optimizerSeconds))
            }
            if cost.paramGatherSeconds > 0 {
                let start = max(dpFree, computeFree[s])
                tasks.append(SimulationTask(stage: s, stream: .dp, kind: .paramAllGather, index: 0, chunk: nil,
                                            start: start, duration: cost.paramGatherSeconds))
            }
        }
        return SimulationSummary.summarise(tasks: tasks, costs: costs, pipelineSeconds: pipelineEnd,
                                           microBatches: m, chunks: v)
    }
}

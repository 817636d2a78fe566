import CostModel
import Goodput
import Foundation
import Hardware
import Workloads

/// Searches the layouts of a model on a cluster for the best ones (`loom plan`).
///
/// The search is exhaustive over `SearchSpace` with a memory bound in front of the time model
/// (`CellSearch`); the outer cells (TP x PP x CP x DP x EP) are spread over a task group so every
/// core works, each task keeping its own top K, merged at the end in a deterministic order.
public struct Planner: Sendable {
    public let estimator: Estimator

    public init(model: TransformerModel, cluster: ClusterTopology) {
        estimator = Estimator(model: model, cluster: cluster)
    }

    /// The largest GPU count the planner searches (2^20): far above any cluster built, and it
    /// keeps the divisor enumeration of the search space cheap.
    public static let maxGPUs = 1 << 20

    public var model: TransformerModel { estimator.model }
    public var cluster: ClusterTopology { estimator.cluster }

    /// The best plans for `request`, or a `PlannerError` saying why there is none.
    public func plan(_ request: PlanRequest) async throws -> PlanResult {
        try check(request)
        let counts = gpuCounts(for: request)
        let clock = ContinuousClock()
        let start = clock.now
        let space = SearchSpace(model: model, gpusPerNode: cluster.acceleratorsPerNode, request: request,
                                torusSlices: cluster.interconnect == .torus)
        let cells = counts.flatMap { space.cells(gpus: $0) }
        guard !cells.isEmpty else { throw PlannerDiagnosis(planner: self).emptySpace(request) }
        let tally = await search(cells, space: space, request: request)
        let elapsed = clock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        // Cells exist but a fixed inner dimension (ZeRO, VPP, micro-batch) admits no layout.
        guard tally.evaluated + tally.pruned > 0 else { throw PlannerDiagnosis(planner: self).emptySpace(request) }
        guard !tally.top.entries.isEmpty else {
            throw await PlannerDiagnosis(planner: self).nothingFits(request, tally: tally)
        }
        // The search keeps at least two plans so that the explanation has a runner-up.
        let ranked = tally.top.entries.map { estimator.estimate($0.layout, recipe: $0.recipe) }
        return PlanResult(plans: Array(ranked.prefix(request.top)), evaluated: tally.evaluated, pruned: tally.pruned,
                          searchSeconds: seconds,
                          explanation: PlanExplanation.compare(ranked, objective: request.objective),
                          objective: request.objective)
    }

    /// Where `layout` ranks among the fitting layouts of `request`'s search: how many score
    /// strictly better, and how many fit at all. The layout itself need not be in the space.
    public func rank(of layout: ParallelLayout, recipe: TrainingRecipe, in request: PlanRequest) async throws -> PlanRank {
        try check(request)
        let peak = estimator.peakMemory(layout, recipe: recipe)
        let core = estimator.evaluate(layout, recipe: recipe)
        let keys = PlanCandidate.keys(request.objective, tokensPerSecond: core.tokensPerSecond, gpus: layout.gpus,
                                      peakMemory: peak, goodput: goodput(layout, recipe: recipe, request: request))
        let space = SearchSpace(model: model, gpusPerNode: cluster.acceleratorsPerNode, request: request,
                                torusSlices: cluster.interconnect == .torus)
        let cells = gpuCounts(for: request).flatMap { space.cells(gpus: $0) }
        let tally = await search(cells, space: space, request: request, referenceScore: keys.score)
        return PlanRank(better: tally.betterThanReference, fitting: tally.evaluated)
    }

    /// Whether any layout of `request` fits (stops at the first), for GPU-count suggestions.
    func anyLayoutFits(_ request: PlanRequest) async -> Bool {
        let space = SearchSpace(model: model, gpusPerNode: cluster.acceleratorsPerNode, request: request,
                                torusSlices: cluster.interconnect == .torus)
        let cells = space.cells(gpus: request.gpus)
        if cells.isEmpty { return false }
        let tally = await search(cells, space: space, request: request, stopAtFirstFit: true)
        return !tally.top.entries.isEmpty
    }

    /// Request values the search cannot start from.
    func check(_ request: PlanRequest) throws {
        if request.gpus < 1 { throw PlannerError(.invalidRequest, "--gpus \(request.gpus) must be a positive integer") }
        if request.gpus > Self.maxGPUs {
            throw PlannerError(.invalidRequest, "--gpus \(request.gpus) is more than \(Self.maxGPUs) GPUs, the most the planner searches")
        }
        let maximumBatch = CostModelConstants.maximumLayoutDimension
        if request.globalBatch < 1 || request.globalBatch > maximumBatch {
            throw PlannerError(.invalidRequest, "--global-batch \(request.globalBatch) must be between 1 and \(maximumBatch)")
        }
        if let problem = LayoutValidation.sequenceLengthProblem(request.seq) {
            throw PlannerError(.invalidRequest, problem)
        }
        if request.top < 1 || request.top > 1000 {
            throw PlannerError(.invalidRequest, "--top \(request.top) must be between 1 and 1000")
        }
        if !(request.maxMemoryFraction > 0 && request.maxMemoryFraction <= 1) {
            throw PlannerError(.invalidRequest,
                               "--max-memory-fraction \(request.maxMemoryFraction) must be in (0, 1]")
        }
        try cluster.checkGPUCount(request.gpus)
        if request.objective == .timeToTrain {
            guard let settings = request.timeToTrain else {
                throw PlannerError(.invalidRequest, "--objective time-to-train needs --train-tokens (e.g. 15T)")
            }
            // The settings' own errors (a zero bandwidth, a rate too high to ever finish) surface
            // here, once, rather than as unranked layouts.
            let probe = ParallelLayout(tp: 1, pp: 1, dp: request.gpus, globalBatch: request.globalBatch, seq: request.seq)
            do {
                _ = try settings.timeToTrain(
                    tokensPerSecond: 1, cluster: cluster,
                    checkpoint: CheckpointSize.of(model: model, geometry: estimator.geometry, layout: probe,
                                                  recipe: request.constraints.recipe))
            } catch let error as GoodputError {
                throw PlannerError(.invalidRequest, error.description)
            }
        }
    }

    /// Goodput of the job `layout` runs (its GPU count and checkpoint) under the request's
    /// time-to-train settings; 1 for the other objectives, 0 when the job never finishes.
    func goodput(_ layout: ParallelLayout, recipe: TrainingRecipe, request: PlanRequest) -> Double {
        guard request.objective == .timeToTrain, let settings = request.timeToTrain else { return 1 }
        let checkpoint = CheckpointSize.of(model: model, geometry: estimator.geometry, layout: layout, recipe: recipe)
        guard let recovery = try? settings.recovery(cluster: cluster, checkpoint: checkpoint),
              let breakdown = try? GoodputBreakdown.compute(accelerators: layout.gpus,
                                                            checkpointBytes: checkpoint.totalBytes, settings: recovery)
        else { return 0 }
        return breakdown.goodput.isFinite ? breakdown.goodput : 0
    }

    /// GPU counts to search: the request's, and for the cost objective also N/2, N/4, ... that
    /// the cluster accepts (whole nodes above one node).
    func gpuCounts(for request: PlanRequest) -> [Int] {
        var counts = [request.gpus]
        guard request.objective == .cost || request.objective == .timeToTrain else { return counts }
        var n = request.gpus
        while n % 2 == 0 && n > 1 {
            n /= 2
            if (try? cluster.checkGPUCount(n)) != nil { counts.append(n) }
        }
        return counts
    }

    /// Runs `CellSearch` over `cells`, spread over a task group when there is enough work.
    func search(_ cells: [SearchCell], space: SearchSpace, request: PlanRequest,
                referenceScore: Double = .infinity, stopAtFirstFit: Bool = false) async -> SearchTally {
        let searcher = CellSearch(
            planner: self, estimator: estimator, space: space,
            memoryLimit: request.maxMemoryFraction * MemoryModel.capacity(of: cluster),
            objective: request.objective, referenceScore: referenceScore, stopAtFirstFit: stopAtFirstFit)
        let capacity = max(request.top, 2)
        let workers = min(cells.count, 4 * max(ProcessInfo.processInfo.activeProcessorCount, 1))
        if workers <= 1 || stopAtFirstFit {
            var tally = SearchTally(capacity: capacity)
            for (index, cell) in cells.enumerated() where searcher.run(cell, index: index, into: &tally) == false {
                break
            }
            return tally
        }
        return await withTaskGroup(of: SearchTally.self) { group in
            for worker in 0..<workers {
                group.addTask {
                    // Interleaved cells: expensive (deep-pipeline) cells spread over all workers.
                    var tally = SearchTally(capacity: capacity)
                    var index = worker
                    while index < cells.count {
                        _ = searcher.run(cells[index], index: index, into: &tally)
                        index += workers
                    }
                    return tally
                }
            }
            var merged = SearchTally(capacity: capacity)
            for await tally in group { merged.merge(tally) }
            return merged
        }
    }
}

/// Position of one layout among a search's fitting layouts.
public struct PlanRank: Sendable, Hashable {
    /// Fitting layouts that score strictly better.
    public var better: Int
    /// All fitting layouts of the search.
    public var fitting: Int

    /// `better / fitting`: 0 = nothing beats it.
    public var fraction: Double { fitting > 0 ? Double(better) / Double(fitting) : 0 }
}

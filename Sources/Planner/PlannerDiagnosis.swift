import CostModel
import Foundation
import Hardware

/// Builds the one-line `PlannerError` for a request without a plan, with what would work:
/// the constraint a fixed dimension breaks, a global batch or GPU count that has layouts, or
/// the smallest larger GPU count (doubling) at which some layout fits in memory.
struct PlannerDiagnosis {
    let planner: Planner

    /// The search space is empty: a fixed dimension is impossible, or no DP size divides the batch.
    func emptySpace(_ request: PlanRequest) -> PlannerError {
        let fixed = request.constraints
        if let error = probeFixedDimensions(request) { return error }
        // Every DP size the GPU count allows, ignoring the batch.
        var open = request
        open.constraints.dp = nil
        open.constraints.microBatch = nil
        open.globalBatch = max(request.gpus, 1)
        let space = SearchSpace(model: planner.model, gpusPerNode: planner.cluster.acceleratorsPerNode, request: open)
        var sizes = Set<Int>()
        for gpus in planner.gpuCounts(for: request) {
            for tp in space.tensorSizes(gpus: gpus) {
                for pp in space.pipelineSizes(remaining: gpus / tp) {
                    for cp in space.contextSizes(remaining: gpus / (tp * pp)) { sizes.insert(gpus / (tp * pp * cp)) }
                }
            }
        }
        let batch = request.globalBatch
        let fixedText = fixed.fixedFlags.isEmpty ? "" : " with \(fixed.fixedFlags)"
        guard let smallest = sizes.min() else {
            return PlannerError(.unusableGPUCount,
                                "no layout\(fixedText) uses --gpus \(request.gpus) for \(planner.model.name)")
        }
        if smallest > batch {
            return PlannerError(.globalBatchTooSmall,
                                "--global-batch \(batch) is smaller than the data-parallel size of every layout\(fixedText) on "
                                    + "\(request.gpus) GPUs (at least \(smallest)); use --global-batch \(smallest) or more, "
                                    + "or fewer GPUs")
        }
        // The next global batch some DP size divides.
        let nextBatch = sizes.map { d in (batch + d - 1) / d * d }.min() ?? smallest
        var text = "--gpus \(request.gpus): no data-parallel size\(fixedText) (\(sorted(sizes))) divides "
            + "--global-batch \(batch); try --global-batch \(nextBatch)"
        if let gpus = nearestUsableCount(request) { text += " or --gpus \(gpus)" }
        return PlannerError(.unusableGPUCount, text)
    }

    /// The GPU count nearest to the request's (whole nodes above one node, fewer first on a
    /// tie) that has layouts for this batch, within 64 steps either way.
    func nearestUsableCount(_ request: PlanRequest) -> Int? {
        let perNode = planner.cluster.acceleratorsPerNode
        let step = request.gpus > perNode ? perNode : 1
        let space = SearchSpace(model: planner.model, gpusPerNode: perNode, request: request)
        for distance in 1...64 {
            for sign in [-1, 1] {
                let (offset, overflow) = (sign * distance).multipliedReportingOverflow(by: step)
                let (gpus, overflow2) = request.gpus.addingReportingOverflow(offset)
                guard !overflow, !overflow2, gpus >= 1, (try? planner.cluster.checkGPUCount(gpus)) != nil else { continue }
                if !space.cells(gpus: gpus).isEmpty { return gpus }
            }
        }
        return nil
    }

    /// The reason a fixed dimension is impossible, from `LayoutValidation` on a layout that
    /// takes the fixed values and neutral ones elsewhere; nil if the fixed values are possible.
    func probeFixedDimensions(_ request: PlanRequest) -> PlannerError? {
        let fixed = request.constraints
        guard !fixed.fixedFlags.isEmpty else { return nil }
        let tp = fixed.tp ?? 1
        let cp = fixed.cp ?? 1
        let vpp = fixed.vpp ?? 1
        let pp = fixed.pp ?? (vpp > 1 ? 2 : 1)
        for (flag, value) in [("--tp", tp), ("--pp", pp), ("--cp", cp), ("--vpp", vpp), ("--dp", fixed.dp ?? 1),
                              ("--ep", fixed.ep ?? 1), ("--micro-batch", fixed.microBatch ?? 1)] where value < 1 {
            return PlannerError(.invalidConstraint, "\(flag) \(value) must be a positive integer")
        }
        let (group, overflow) = tp.multipliedReportingOverflow(by: pp)
        let (group2, overflow2) = group.multipliedReportingOverflow(by: cp)
        if overflow || overflow2 || group2 > request.gpus || request.gpus % group2 != 0 {
            return PlannerError(.invalidConstraint,
                                "--gpus \(request.gpus) is not divisible by tp x pp x cp = \(tp) x \(pp) x \(cp)")
        }
        let dp = fixed.dp ?? request.gpus / group2
        let probe = ParallelLayout(
            tp: tp, pp: pp, dp: dp, cp: cp, ep: fixed.ep ?? 1, vpp: vpp, zero: fixed.zero ?? 0,
            sequenceParallel: fixed.sequenceParallel ?? false, microBatch: fixed.microBatch ?? 1,
            globalBatch: request.globalBatch, seq: request.seq, schedule: fixed.schedule, targetSeq: request.targetSeq)
        do {
            try LayoutValidation.check(probe, recipe: fixed.recipe, model: planner.model, cluster: planner.cluster, gpus: request.gpus)
        } catch let error as LayoutError {
            return PlannerError(.invalidConstraint, error.description)
        } catch {
            return PlannerError(.invalidConstraint, "\(error)")
        }
        if let tp = fixed.tp, tp > planner.cluster.acceleratorsPerNode, !request.allowCrossNodeTP,
           tp % planner.cluster.acceleratorsPerNode != 0 {
            return PlannerError(.invalidConstraint,
                                "--tp \(tp) splits nodes of \(planner.cluster.acceleratorsPerNode) GPUs unevenly")
        }
        return nil
    }

    /// Layouts exist but none fits: the least memory any needs, and a GPU count that would fit.
    func nothingFits(_ request: PlanRequest, tally: SearchTally) async -> PlannerError {
        let capacity = MemoryModel.capacity(of: planner.cluster)
        let limit = request.maxMemoryFraction * capacity
        var text = "no layout of \(planner.model.name) fits in \(gib(limit)) GiB per GPU"
        if request.maxMemoryFraction < 1 { text += " (\(percent(request.maxMemoryFraction)) of \(gib(capacity)) GiB)" }
        text += " on \(request.gpus) GPUs"
        if !request.constraints.fixedFlags.isEmpty { text += " with \(request.constraints.fixedFlags)" }
        if let layout = tally.leastMemoryLayout, let recipe = tally.leastMemoryRecipe, tally.leastMemory.isFinite {
            text += "; the leanest layout needs at least \(gib(tally.leastMemory)) GiB (\(PlanExplanation.describe(layout, recipe: recipe)))"
        }
        if let larger = await smallestFittingCount(above: request) {
            text += "; \(larger) GPUs would fit"
        } else {
            text += "; no larger GPU count up to \(searchCeiling(request)) fits either"
        }
        return PlannerError(.noLayoutFits, text)
    }

    /// Doubles the GPU count until some layout fits, within the cluster's node limit.
    func smallestFittingCount(above request: PlanRequest) async -> Int? {
        var probe = request
        probe.objective = .throughput
        let ceiling = searchCeiling(request)
        var gpus = request.gpus
        while true {
            let (next, overflow) = gpus.multipliedReportingOverflow(by: 2)
            if overflow || next > ceiling { return nil }
            gpus = next
            guard (try? planner.cluster.checkGPUCount(gpus)) != nil else { continue }
            probe.gpus = gpus
            if await planner.anyLayoutFits(probe) { return gpus }
        }
    }

    /// The largest GPU count tried for a suggestion: the cluster's size, or 4096x the request
    /// (at most 2^20 GPUs).
    func searchCeiling(_ request: PlanRequest) -> Int {
        let perNode = planner.cluster.acceleratorsPerNode
        if let nodes = planner.cluster.maxNodes {
            let (total, overflow) = nodes.multipliedReportingOverflow(by: perNode)
            if !overflow { return total }
        }
        let (scaled, overflow) = request.gpus.multipliedReportingOverflow(by: 4096)
        return overflow ? Planner.maxGPUs : min(scaled, Planner.maxGPUs)
    }

    private func gib(_ bytes: Double) -> String { String(format: "%.1f", bytes / gibibyte) }
    private func percent(_ x: Double) -> String { String(format: "%.0f%%", 100 * x) }
    private func sorted(_ sizes: Set<Int>) -> String {
        let list = sizes.sorted()
        let shown = list.prefix(8).map(String.init).joined(separator: ", ")
        return list.count > 8 ? "dp " + shown + ", ..." : "dp " + shown
    }
}

import CostModel
import Planner
import Hardware
import Workloads

/// Predicts runs and compares them with what was reported (`loom validate`).
public enum ValidationRunner {
    /// Worst runs listed per source group.
    public static let worstPerGroup = 3

    /// Predicts every run that `RunMapping` can map; the others are listed as refused with their
    /// reasons. `cluster` resolves a preset name to a topology (throwing if there is none).
    public static func validate(runs: [PublishedRun], defaults: RunDefaults = .init(),
                                cluster: (String) throws -> ClusterTopology) -> ValidationReport {
        var rows: [ValidationReport.Row] = []
        var refused: [ValidationReport.Refused] = []
        for run in runs {
            let source = SourceGroup.name(of: run.source)
            switch predict(run, source: source, defaults: defaults, cluster: cluster) {
            case let .success(row): rows.append(row)
            case let .failure(refusal): refused.append(.init(id: run.id, source: source, reasons: refusal.reasons))
            }
        }
        let all = ErrorSummary(errors: rows.map(\.error))
        return ValidationReport(
            runs: rows, meanAbsError: all.meanAbsError, maxAbsError: all.maxAbsError, p90AbsError: all.p90AbsError,
            meanError: all.meanError, groups: groups(rows: rows, refused: refused, order: runs.map { SourceGroup.name(of: $0.source) }),
            refused: refused, memory: ErrorSummary(errors: rows.compactMap(\.memoryError)),
            iteration: ErrorSummary(errors: rows.compactMap(\.iterationError)))
    }

    /// One run's predicted figures, or why it cannot be predicted.
    static func predict(_ run: PublishedRun, source: String, defaults: RunDefaults,
                        cluster: (String) throws -> ClusterTopology) -> Result<ValidationReport.Row, RunRefusal> {
        guard let reported = run.reportedTokensPerSecond, reported > 0 else {
            return .failure(RunRefusal(id: run.id, reasons: ["reports neither tokens_per_s nor iteration_s"]))
        }
        var inputs: EvaluationInputs
        switch RunMapping.inputs(for: run, defaults: defaults, cluster: cluster) {
        case let .success(mapped): inputs = mapped
        case let .failure(refusal): return .failure(refusal)
        }
        do {
            try resolveUnstated(&inputs, gpus: run.cluster.gpus)
        } catch {
            return .failure(RunRefusal(id: run.id, reasons: ["\(error)"]))
        }
        let estimate = Estimator(model: inputs.model, cluster: inputs.cluster).estimate(inputs.layout, recipe: inputs.recipe)
        let gib = 1_073_741_824.0
        let memoryGib = estimate.memory.total / gib
        let m = estimate.memory
        let measuredMemory = run.reported.peakMemoryGib.flatMap { $0 > 0 ? $0 : nil }
        let measuredIteration = run.reported.iterationS.flatMap { $0 > 0 ? $0 : nil }
        return .success(.init(
            id: run.id, source: source, framework: inputs.recipe.framework.rawValue, reportedTokensPerS: reported,
            predictedTokensPerS: estimate.tokensPerS, error: estimate.tokensPerS / reported - 1,
            predictedMfu: estimate.mfu, reportedMfu: run.reported.mfu,
            predictedIterationS: estimate.stepTimeS, reportedIterationS: measuredIteration,
            iterationError: measuredIteration.map { estimate.stepTimeS / $0 - 1 },
            predictedPeakMemoryGib: memoryGib, reportedPeakMemoryGib: measuredMemory,
            memoryError: measuredMemory.map { memoryGib / $0 - 1 }, predictedTime: estimate.time,
            predictedMemoryGib: .init(weights: m.weights / gib, gradients: m.gradients / gib, optimizer: m.optimizer / gib,
                                      activations: m.activations / gib, other: m.other / gib),
            assumed: inputs.assumed))
    }

    /// Fields the source leaves unstated (micro-batch, recomputation) taken from the best plan
    /// of `loom plan` with every stated dimension fixed: the run's TP, PP, DP, CP, EP, VPP, ZeRO
    /// stage, sequence parallelism and recipe; what the search chose is added to `assumed`.
    static func resolveUnstated(_ inputs: inout EvaluationInputs, gpus: Int) throws {
        guard inputs.microBatchUnstated || inputs.recomputeUnstated else { return }
        let l = inputs.layout
        let constraints = PlanConstraints(
            tp: l.tp, pp: l.pp, dp: l.dp, cp: l.cp, ep: l.ep, vpp: l.vpp, zero: l.zero,
            recompute: inputs.recomputeUnstated ? nil : inputs.recipe.recompute,
            sequenceParallel: l.sequenceParallel, microBatch: inputs.microBatchUnstated ? nil : l.microBatch,
            schedule: l.schedule, recipe: inputs.recipe)
        let request = PlanRequest(gpus: gpus, globalBatch: l.globalBatch, seq: l.seq, constraints: constraints, top: 1)
        let planner = Planner(model: inputs.model, cluster: inputs.cluster)
        guard let best = try planner.planSynchronously(request).plans.first else {
            throw LayoutError("no layout with the stated dimensions fits (loom plan \(constraints.fixedFlags))")
        }
        inputs.layout.microBatch = best.layout.microBatch
        inputs.recipe.recompute = best.recipe.recipe.recompute
        inputs.assumed = inputs.assumed.map { entry in
            if entry.hasPrefix("micro_batch: the best") { return "micro_batch \(best.layout.microBatch) (best of loom plan; unstated)" }
            if entry.hasPrefix("recompute: the best") {
                return "recompute \(inputs.recipe.recompute.rawValue) (best of loom plan; unstated)"
            }
            return entry
        }
    }

    /// Per source group, in the order the groups first appear in the runs.
    static func groups(rows: [ValidationReport.Row], refused: [ValidationReport.Refused],
                       order: [String]) -> [ValidationReport.Group] {
        var seen = Set<String>()
        return order.filter { seen.insert($0).inserted }.map { source in
            let members = rows.filter { $0.source == source }
            let worst = members.sorted { abs($0.error) > abs($1.error) }.prefix(worstPerGroup)
            return .init(source: source, tokensPerS: ErrorSummary(errors: members.map(\.error)),
                         iteration: ErrorSummary(errors: members.compactMap(\.iterationError)),
                         memory: ErrorSummary(errors: members.compactMap(\.memoryError)),
                         worst: worst.map { .init(id: $0.id, error: $0.error) },
                         refused: refused.filter { $0.source == source }.count)
        }
    }
}

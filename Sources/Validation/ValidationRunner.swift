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
    public static func validate(runs: [PublishedRun], unreadable: [RunsFileReader.UnreadableRun] = [],
                                defaults: RunDefaults = .init(),
                                cluster: (String) throws -> ClusterTopology) -> ValidationReport {
        var rows: [ValidationReport.Row] = []
        // Runs the file could not give a field of are refused with the field (`loadRunsLossy`).
        var refused: [ValidationReport.Refused] = unreadable.map {
            .init(id: $0.id, source: SourceGroup.name(of: $0.source), reasons: [$0.reason])
        }
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
            meanError: all.meanError,
            groups: groups(rows: rows, refused: refused,
                           order: runs.map { SourceGroup.name(of: $0.source) } + unreadable.map { SourceGroup.name(of: $0.source) }),
            refused: refused, memory: ErrorSummary(errors: rows.compactMap(\.memoryError)),
            iteration: ErrorSummary(errors: rows.compactMap(\.iterationError)))
    }

    /// One run's predicted figures, or why it cannot be predicted.
    static func predict(_ run: PublishedRun, source: String, defaults: RunDefaults,
                        cluster: (String) throws -> ClusterTopology) -> Result<ValidationReport.Row, RunRefusal> {
        let stated = run.reportedTokensPerSecond.flatMap { $0 > 0 && $0.isFinite ? $0 : nil }
        let statedTFLOPS = run.reported.tflopsPerGpu.flatMap { $0 > 0 && $0.isFinite ? $0 : nil }
        // MFU as a fraction; a value above 1 is a percentage (52.7 for 0.527).
        let statedMFU = run.reported.mfu.flatMap { $0 > 0 && $0.isFinite ? ($0 > 1 ? $0 / 100 : $0) : nil }
        guard stated != nil || statedTFLOPS != nil || statedMFU != nil else {
            return .failure(RunRefusal(id: run.id, reasons: ["reports none of tokens_per_s, iteration_s, tflops_per_gpu, mfu"]))
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
        // A run that reports only its model TFLOP/s per GPU or its MFU: the tokens/s those mean
        // with Loom's model FLOPs per token (the estimate's own ratio of tokens to FLOPs), listed
        // as assumed, since sources count attention's FLOPs their own way.
        let reported: Double
        if let stated {
            reported = stated
        } else if let tflops = statedTFLOPS, estimate.tflopsPerGpu > 0 {
            reported = tflops / estimate.tflopsPerGpu * estimate.tokensPerS
            inputs.assumed.append("tokens/s from the reported \(tflops) TFLOP/s per GPU with Loom's model FLOPs per token")
        } else if let mfu = statedMFU, estimate.mfu > 0 {
            reported = mfu / estimate.mfu * estimate.tokensPerS
            inputs.assumed.append("tokens/s from the reported MFU \(mfu) with Loom's model FLOPs per token and the bf16 peak")
        } else {
            return .failure(RunRefusal(id: run.id, reasons: ["the estimate has no model FLOPs to turn the reported rate into tokens/s"]))
        }
        guard reported.isFinite, reported > 0 else {
            return .failure(RunRefusal(id: run.id, reasons: ["the reported rate gives no finite tokens/s"]))
        }
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
        guard let best = try planner.planSequentially(request)?.plans.first else {
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

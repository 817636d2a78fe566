import CostModel
import Foundation
import Hardware
import Planner
import Workloads

/// How the global batch follows the GPU count: `strong` keeps it fixed (the same work on more
/// GPUs); `weak` grows it in proportion to the GPUs (the same work per GPU).
public enum ScalingMode: String, Sendable, Hashable, Codable, CaseIterable {
    case weak
    case strong
}

/// Which layout each GPU count gets: the planner's best under optional fixed dimensions, or
/// one layout held fixed with its recipe (its data-parallel size and global batch follow the GPU count).
public enum LayoutPolicy: Sendable, Hashable {
    case best(PlanConstraints)
    case fixed(ParallelLayout, TrainingRecipe)

    public var name: String {
        switch self {
        case .best: return "best"
        case .fixed: return "fixed"
        }
    }
}

/// One point of a sweep: a cluster, a GPU count and the global batch used there.
public struct SweepPoint: Sendable, Hashable {
    public var cluster: ClusterTopology
    public var gpus: Int
    public var globalBatch: Int

    public init(cluster: ClusterTopology, gpus: Int, globalBatch: Int) {
        self.cluster = cluster
        self.gpus = gpus
        self.globalBatch = globalBatch
    }
}

/// What a point got: the estimate of its layout, or why it has none (one line).
public struct SweepOutcome: Sendable, Hashable {
    public var point: SweepPoint
    public var estimate: Estimate?
    public var reason: String?
}

/// The points of a scaling report (one cluster, several GPU counts) or of a cluster comparison
/// (several clusters, one GPU count), and the planner run over each.
public struct ScalingSweep: Sendable {
    public var model: TransformerModel
    public var points: [SweepPoint]
    public var seq: Int
    public var policy: LayoutPolicy

    public init(model: TransformerModel, points: [SweepPoint], seq: Int, policy: LayoutPolicy) {
        self.model = model
        self.points = points
        self.seq = seq
        self.policy = policy
    }

    /// A sweep over `gpus` (positive, strictly increasing) on one cluster. In weak mode the
    /// global batch at N GPUs is `globalBatch` x N / N0 (N0 the smallest count), rounded down.
    public static func scaling(model: TransformerModel, cluster: ClusterTopology, gpus: [Int], globalBatch: Int,
                               seq: Int, mode: ScalingMode, policy: LayoutPolicy) throws -> ScalingSweep {
        try checkGPUList(gpus)
        try checkBatch(globalBatch, seq: seq)
        guard let smallest = gpus.first else { throw ReportError("--gpus is empty; give GPU counts like 64,128,256") }
        var points: [SweepPoint] = []
        for n in gpus {
            var batch = globalBatch
            if mode == .weak {
                let (product, overflow) = globalBatch.multipliedReportingOverflow(by: n)
                if overflow || product / smallest > 100_000_000 {
                    throw ReportError("--global-batch \(globalBatch) scaled to \(n) GPUs in weak mode is too large "
                        + "(at most 100000000 sequences)")
                }
                batch = max(product / smallest, 1)
            }
            points.append(SweepPoint(cluster: cluster, gpus: n, globalBatch: batch))
        }
        return ScalingSweep(model: model, points: points, seq: seq, policy: policy)
    }

    /// A comparison of `clusters` (at least one, no repeats) at one GPU count and batch.
    public static func comparison(model: TransformerModel, clusters: [ClusterTopology], gpus: Int, globalBatch: Int,
                                  seq: Int, policy: LayoutPolicy) throws -> ScalingSweep {
        guard !clusters.isEmpty else { throw ReportError("--clusters is empty; give clusters like dgx-a100-80gb,dgx-h100") }
        var seen = Set<String>()
        for cluster in clusters where !seen.insert(cluster.name).inserted {
            throw ReportError("--clusters names \(cluster.name) twice")
        }
        try checkGPUList([gpus])
        try checkBatch(globalBatch, seq: seq)
        let points = clusters.map { SweepPoint(cluster: $0, gpus: gpus, globalBatch: globalBatch) }
        return ScalingSweep(model: model, points: points, seq: seq, policy: policy)
    }

    /// The largest GPU count a report plans (2^20, the planner's own search ceiling).
    public static let maxGPUs = 1 << 20

    /// GPU counts must be positive, at most `maxGPUs` and strictly increasing.
    public static func checkGPUList(_ gpus: [Int]) throws {
        guard !gpus.isEmpty else { throw ReportError("--gpus is empty; give GPU counts like 64,128,256") }
        let list = gpus.map(String.init).joined(separator: ",")
        for n in gpus where n < 1 { throw ReportError("--gpus \(list): \(n) is not a positive GPU count") }
        for n in gpus where n > maxGPUs {
            throw ReportError("--gpus \(list): \(n) is more than \(maxGPUs) GPUs, the largest count a report plans")
        }
        for (a, b) in zip(gpus, gpus.dropFirst()) where b <= a {
            throw ReportError("--gpus \(list) must be strictly increasing (\(b) comes after \(a))")
        }
    }

    static func checkBatch(_ globalBatch: Int, seq: Int) throws {
        if globalBatch < 1 { throw ReportError("--global-batch \(globalBatch) must be a positive integer") }
        if let problem = LayoutValidation.sequenceLengthProblem(seq) { throw ReportError(problem) }
    }

    /// Plans every point in order, calling `progress(done, total, label)` before each point
    /// and once at the end. Synchronous (the planner runs on the concurrency pool); do not call
    /// from inside a task. Throws only when no point has a layout that fits.
    public func run(progress: (Int, Int, String) -> Void = { _, _, _ in }) throws -> [SweepOutcome] {
        var outcomes: [SweepOutcome] = []
        for (index, point) in points.enumerated() {
            progress(index, points.count, "\(point.cluster.name), \(point.gpus) GPUs")
            outcomes.append(evaluate(point))
        }
        progress(points.count, points.count, "done")
        guard outcomes.contains(where: { $0.estimate != nil }) else {
            let reasons = outcomes.map { "\($0.point.gpus) GPUs on \($0.point.cluster.name): \($0.reason ?? "no plan")" }
            let first = reasons.first ?? "no points"
            let more = reasons.count > 1 ? " (and \(reasons.count - 1) more without a plan)" : ""
            throw ReportError("nothing fits: no point of the report has a layout of \(model.name); \(first)\(more)")
        }
        return outcomes
    }

    /// The estimate of one point, or the one-line reason it has none.
    public func evaluate(_ point: SweepPoint) -> SweepOutcome {
        do {
            try point.cluster.checkGPUCount(point.gpus)
            // On a TPU torus the job runs on the fewest equal slices its chip count allows.
            var job = point
            if let slices = try point.cluster.torusSlices(gpus: point.gpus) {
                job.cluster = point.cluster.restricted(to: slices)
            }
            let estimate: Estimate
            switch policy {
            case .best(let constraints):
                let planner = Planner(model: model, cluster: job.cluster)
                let request = PlanRequest(gpus: point.gpus, globalBatch: point.globalBatch, seq: seq,
                                          constraints: constraints, top: 1)
                let result = try planner.planSynchronously(request)
                guard let best = result.plans.first else { throw ReportError("the planner returned no plan") }
                estimate = best
            case .fixed(let template, let recipe):
                estimate = try fixedEstimate(template, recipe: recipe, point: job)
            }
            return SweepOutcome(point: point, estimate: estimate, reason: nil)
        } catch {
            return SweepOutcome(point: point, estimate: nil, reason: ReportError.line(error))
        }
    }

    /// The fixed layout at this point: DP = GPUs / (TP x PP x CP), the point's batch; it must
    /// pass `LayoutValidation` and fit in memory.
    func fixedEstimate(_ template: ParallelLayout, recipe: TrainingRecipe, point: SweepPoint) throws -> Estimate {
        let (group, overflow) = template.tp.multipliedReportingOverflow(by: template.pp)
        let (group2, overflow2) = group.multipliedReportingOverflow(by: template.cp)
        guard !overflow, !overflow2, group2 > 0, point.gpus % group2 == 0 else {
            throw ReportError("\(point.gpus) GPUs are not divisible by tp x pp x cp = "
                + "\(template.tp) x \(template.pp) x \(template.cp)")
        }
        var layout = template
        layout.dp = point.gpus / group2
        layout.globalBatch = point.globalBatch
        layout.seq = seq
        try LayoutValidation.check(layout, recipe: recipe, model: model, cluster: point.cluster, gpus: point.gpus)
        let estimate = Estimator(model: model, cluster: point.cluster).estimate(layout, recipe: recipe)
        guard estimate.fits else {
            throw ReportError("the fixed layout needs \(ReportFormat.gib(estimate.memory.total)) per GPU, more than the "
                + "\(ReportFormat.gib(estimate.memory.capacity)) of \(point.cluster.accelerator.name)")
        }
        return estimate
    }
}

import CostModel
import Dispatch

extension Planner {
    /// `plan(_:)` for synchronous callers (the CLI's main thread, the report sweep, tests): runs
    /// the search on `DispatchPoolExecutor` and waits for it. The search's tasks run on Dispatch's
    /// global queue, not on Swift's cooperative pool, so a caller that blocks a pool thread here
    /// (a synchronous function called from inside a task) cannot starve the search it waits for.
    public func planSynchronously(_ request: PlanRequest) throws -> PlanResult {
        let box = ResultBox()
        let done = DispatchSemaphore(value: 0)
        let planner = self
        Task(executorPreference: DispatchPoolExecutor.shared) {
            do {
                box.set(.success(try await planner.plan(request)))
            } catch {
                box.set(.failure(error))
            }
            done.signal()
        }
        done.wait()
        guard let result = box.get() else {
            throw PlannerError(.invalidRequest, "the search ended without a result")
        }
        return try result.get()
    }
}

/// Hands the result of the detached search to the waiting thread; the semaphore orders the
/// write before the read, the lock keeps the checker honest.
private final class ResultBox: @unchecked Sendable {
    private var value: Result<PlanResult, Error>?
    private let lock = DispatchSemaphore(value: 1)

    func set(_ result: Result<PlanResult, Error>) {
        lock.wait()
        value = result
        lock.signal()
    }

    func get() -> Result<PlanResult, Error>? {
        lock.wait()
        defer { lock.signal() }
        return value
    }
}

extension Planner {
    /// The best plans for `request`, searched on the calling thread without tasks: for callers that
    /// may themselves run inside a task (the runs-file validation, whose constrained searches have a
    /// few cells), where blocking on `planSynchronously` could starve the concurrency pool. Nil when
    /// no layout fits; the request's own errors are thrown as by `plan(_:)`.
    public func planSequentially(_ request: PlanRequest) throws -> PlanResult? {
        try check(request)
        let space = SearchSpace(model: model, gpusPerNode: cluster.acceleratorsPerNode, request: request,
                                torusSlices: cluster.interconnect == .torus)
        let cells = gpuCounts(for: request).flatMap { space.cells(gpus: $0) }
        let searcher = CellSearch(
            planner: self, estimator: estimator, space: space,
            memoryLimit: request.maxMemoryFraction * MemoryModel.capacity(of: cluster),
            objective: request.objective, referenceScore: .infinity, stopAtFirstFit: false)
        var tally = SearchTally(capacity: max(request.top, 2))
        for (index, cell) in cells.enumerated() {
            _ = searcher.run(cell, index: index, into: &tally)
        }
        guard !tally.top.entries.isEmpty else { return nil }
        let ranked = tally.top.entries.map { estimator.estimate($0.layout, recipe: $0.recipe) }
        return PlanResult(plans: Array(ranked.prefix(request.top)), evaluated: tally.evaluated, pruned: tally.pruned,
                          searchSeconds: 0, explanation: PlanExplanation.compare(ranked, objective: request.objective),
                          objective: request.objective)
    }
}

/// A task executor that runs every job on Dispatch's global concurrent queue (threads Dispatch
/// adds as needed), for searches that synchronous callers wait on (`planSynchronously`).
final class DispatchPoolExecutor: TaskExecutor, @unchecked Sendable {
    static let shared = DispatchPoolExecutor()

    func enqueue(_ job: consuming ExecutorJob) {
        let unowned = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        DispatchQueue.global().async {
            unowned.runSynchronously(on: executor)
        }
    }
}

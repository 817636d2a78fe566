import CostModel
import Dispatch

extension Planner {
    /// `plan(_:)` for synchronous callers (the CLI's main thread): runs the search on the
    /// concurrency pool and waits for it. Do not call from inside a task.
    public func planSynchronously(_ request: PlanRequest) throws -> PlanResult {
        let box = ResultBox()
        let done = DispatchSemaphore(value: 0)
        let planner = self
        Task.detached {
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

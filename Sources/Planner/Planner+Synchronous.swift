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

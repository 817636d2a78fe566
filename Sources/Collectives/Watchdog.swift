import Foundation

/// Ends the whole job when one step of the benchmark takes longer than `--timeout` seconds, so
/// that a rank that hangs, or a network that stops delivering, never leaves loom-bench waiting
/// forever (the role of nccl-tests' `-T`).
///
/// A thread sleeps until the deadline of the current step; the main thread re-arms it at every
/// step (each message size). On expiry it reports, then calls `MPI_Abort`, which asks the MPI
/// runtime to kill every rank; mpirun then exits with code 124. The main thread is stuck inside
/// MPI at that point; MPI is initialised with `MPI_THREAD_SINGLE` for speed (see
/// `MPIEnvironment`), and OpenMPI's `MPI_Abort` works from another thread regardless because it
/// goes through the runtime, not the communication path. In case it does not return and does not
/// kill, `alarm(30)` (default action: terminate) ends this process, which makes mpirun end the rest.
/// Ranks other than 0 wait 5 s longer, so that normally one rank, rank 0, reports.
public final class Watchdog: @unchecked Sendable {
    /// mpirun's exit status when the watchdog ends the job (as timeout(1)).
    public static let exitCode: Int32 = 124

    private let timeout: Double
    private let grace: Double
    private let report: @Sendable (String) -> Void
    // Guarded by `condition`.
    private let condition = NSCondition()
    private var deadline: Double?
    private var activity = "start-up"
    private var stopped = false

    /// A watchdog for `timeout` seconds a step; `report` prints the one-line message.
    public init(timeout: Double, rank: Int, report: @escaping @Sendable (String) -> Void) {
        self.timeout = timeout
        self.grace = rank == 0 ? 0 : 5
        self.report = report
    }

    /// Starts the watching thread.
    public func start() {
        let thread = Thread { [self] in watch() }
        thread.name = "loom-bench watchdog"
        thread.start()
    }

    /// Starts a new step called `activity`, with a fresh deadline.
    public func arm(_ activity: String) {
        condition.lock()
        self.activity = activity
        deadline = Self.now() + timeout + grace
        condition.signal()
        condition.unlock()
    }

    /// Stops watching (the benchmark is done).
    public func stop() {
        condition.lock()
        stopped = true
        condition.signal()
        condition.unlock()
    }

    private func watch() {
        condition.lock()
        while !stopped {
            guard let deadline else {
                condition.wait()
                continue
            }
            let remaining = deadline - Self.now()
            if remaining <= 0 {
                let what = activity
                condition.unlock()
                expire(during: what)
            }
            _ = condition.wait(until: Date(timeIntervalSinceNow: remaining))
        }
        condition.unlock()
    }

    private func expire(during activity: String) -> Never {
        report("no progress for \(Self.seconds(timeout)) s during \(activity) (--timeout \(Self.seconds(timeout))): a rank is stuck or dead; aborting the job")
        alarm(30)
        MPIEnvironment.abort(code: Self.exitCode)
    }

    private static func now() -> Double { ProcessInfo.processInfo.systemUptime }

    private static func seconds(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? "\(Int(value))" : "\(value)"
    }
}

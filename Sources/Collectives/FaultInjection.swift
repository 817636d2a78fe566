import Foundation

/// A deliberate failure on one rank, to test that loom-bench never hangs (hidden option
/// `--inject-fault KIND:RANK`; for tests, not for measurements). Triggered once, after the
/// first size's warm-up:
/// - `hang`: the rank stops taking part; the others block, and the watchdog must end the job;
/// - `kill`: the rank dies by SIGKILL, as on a crash or an out-of-memory kill; mpirun must end
///   the job;
/// - `mpi-error`: the rank makes an invalid MPI call (a broadcast from a rank that does not
///   exist); the error must come back as `MPIError` and end the job with a message;
/// - `corrupt`: after the first size's timed loop the rank overwrites one element of its receive
///   buffer; the check must count exactly one wrong element and loom-bench must exit with 3.
public struct FaultInjection: Equatable, Sendable {
    public enum Kind: String, CaseIterable, Sendable {
        case hang, kill, corrupt
        case mpiError = "mpi-error"
    }

    public let kind: Kind
    public let rank: Int

    /// Parses `KIND:RANK`.
    public init?(parsing text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let kind = Kind(rawValue: String(parts[0])), let rank = Int(parts[1]), rank >= 0 else {
            return nil
        }
        self.kind = kind
        self.rank = rank
    }

    /// Fails as described if `world.rank` is the chosen rank (all kinds but `corrupt`, which
    /// `corrupt(_:on:)` applies later).
    func trigger(on world: Communicator) throws {
        guard world.rank == rank else { return }
        switch kind {
        case .corrupt:
            return
        case .hang:
            while true { sleep(60) }
        case .kill:
            kill(getpid(), SIGKILL)
        case .mpiError:
            let buffer = try MessageBuffer<Int32>(capacity: 1)
            try world.broadcast(buffer.prefix(1), root: world.size)
        }
    }

    /// Overwrites the first element of `receive` with poison if this is a `corrupt` fault for
    /// `world.rank`.
    func corrupt<T: MPIElement>(_ receive: UnsafeMutableBufferPointer<T>, on world: Communicator) {
        guard kind == .corrupt, world.rank == rank, let first = receive.indices.first else { return }
        receive[first] = T(patternValue: DataPattern.poison)
    }
}

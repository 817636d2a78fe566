import Foundation

/// A deliberate failure on one rank, to test that loom-bench never hangs (hidden option
/// `--inject-fault KIND:RANK`; for tests, not for measurements). Triggered once, after the
/// first size's warm-up:
/// - `hang`: the rank stops taking part; the others block, and the watchdog must end the job;
/// - `kill`: the rank dies by SIGKILL, as on a crash or an out-of-memory kill; mpirun must end
///   the job;
/// - `mpi-error`: the rank makes an invalid MPI call (a broadcast from a rank that does not
///   exist); the error must come back as `MPIError` and end the job with a message.
public struct FaultInjection: Equatable, Sendable {
    public enum Kind: String, CaseIterable, Sendable {
        case hang, kill
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

    /// Fails as described, if `world.rank` is the chosen rank.
    func trigger(on world: Communicator) throws {
        guard world.rank == rank else { return }
        switch kind {
        case .hang:
            while true { sleep(60) }
        case .kill:
            kill(getpid(), SIGKILL)
        case .mpiError:
            let buffer = try MessageBuffer<Int32>(capacity: 1)
            try world.broadcast(buffer.prefix(1), root: world.size)
        }
    }
}

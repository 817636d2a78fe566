/// How a checkpoint is taken, which decides how long training stops for it and how long after the
/// snapshot it becomes safe to restart from.
public enum CheckpointMode: Sendable, Hashable, Codable {
    /// Training stops until the whole checkpoint is written to storage (torch.save /
    /// Megatron's default `--ckpt-format torch` save).
    case blocking
    /// Training stops only for the copy of the states to host memory (`blockingSeconds`); the write
    /// to storage runs behind the next steps (PyTorch DCP `async_save`; Megatron `--async-save`;
    /// Llama 3 used it, Dubey et al. 2024 section 3.3.4). The snapshot is durable one write
    /// time after it was taken, so a failure in that window falls back to the one before.
    case asynchronous(blockingSeconds: Double)
    /// Snapshots kept in the host memory of peer nodes (Gemini, Wang et al. SOSP 2023): training
    /// stops for `blockingSeconds`, the copy to the peers takes `replicationSeconds`, and recovery
    /// reads the states back from peer memory in `reloadSeconds` instead of from storage. Losing a
    /// snapshot and all its replicas at once (Gemini's rare fallback to storage) is not modelled.
    case inMemory(blockingSeconds: Double, replicationSeconds: Double, reloadSeconds: Double)

    /// The CLI spelling.
    public var name: String {
        switch self {
        case .blocking: "blocking"
        case .asynchronous: "async"
        case .inMemory: "in-memory"
        }
    }
}

/// What one checkpoint costs under a mode, given the time to write it to storage.
public struct CheckpointCost: Sendable, Hashable, Codable {
    /// Time training stands still per checkpoint (delta in Young's and Daly's formulas), seconds.
    public var blockingSeconds: Double
    /// Time from the snapshot to the moment it can be restarted from, beyond the blocking part,
    /// seconds; the interval between checkpoints cannot be shorter.
    public var durableLagSeconds: Double
    /// Time to read the states back after a failure, seconds.
    public var reloadSeconds: Double

    public init(mode: CheckpointMode, writeSeconds: Double, storageReloadSeconds: Double) throws {
        switch mode {
        case .blocking:
            blockingSeconds = writeSeconds
            durableLagSeconds = 0
            reloadSeconds = storageReloadSeconds
        case .asynchronous(let blocking):
            try GoodputError.requirePositive(blocking, "asynchronous checkpoint blocking time (s)")
            // The copy to host memory blocks; the whole write to storage follows it.
            blockingSeconds = blocking
            durableLagSeconds = writeSeconds
            reloadSeconds = storageReloadSeconds
        case .inMemory(let blocking, let replication, let reload):
            try GoodputError.requirePositive(blocking, "in-memory checkpoint blocking time (s)")
            try GoodputError.requireNonNegative(replication, "in-memory replication time (s)")
            try GoodputError.requireNonNegative(reload, "in-memory reload time (s)")
            blockingSeconds = blocking
            durableLagSeconds = replication
            reloadSeconds = reload
        }
    }
}

/// What the planner ranks layouts by.
public enum PlanObjective: String, Sendable, Hashable, Codable, CaseIterable {
    /// Most tokens per second for the whole job (the default).
    case throughput
    /// Least peak memory on the most loaded GPU (ties: more tokens per second).
    case memory
    /// Fewest GPU-seconds per token, i.e. most tokens per second per GPU. At a fixed GPU count
    /// this ranks like `throughput`, so the cost search also tries the GPU counts N, N/2, N/4, ...
    /// that the cluster accepts, and a smaller job that wastes less can win.
    case cost
    /// Shortest expected time to train with failures and checkpoints: most tokens/s x goodput
    /// (`Goodput`; needs `PlanRequest.timeToTrain`). A job of N GPUs fails N times as often, so
    /// like `cost` the search also tries N/2, N/4, ...: with failures the fastest layout on more
    /// GPUs can finish later. Ties: more tokens/s.
    case timeToTrain = "time-to-train"
}

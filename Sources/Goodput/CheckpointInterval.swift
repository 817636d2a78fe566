/// The checkpoint interval (compute time between two checkpoints) that minimises the expected
/// time to finish, for a checkpoint that stops training for `delta` seconds and a job whose mean
/// time between interruptions is `mtbf` seconds.
public enum CheckpointInterval {
    /// Young 1974 ("A first order approximation to the optimum checkpoint interval", CACM 17(9)):
    /// tau = sqrt(2 delta M), from a cost that is first order in delta / M.
    public static func young(delta: Double, mtbf: Double) -> Double {
        (2 * delta * mtbf).squareRoot()
    }

    /// Daly 2006 ("A higher order estimate of the optimum checkpoint interval for restart dumps",
    /// FGCS 22(3)): tau = sqrt(2 delta M) [1 + (1/3) sqrt(delta / 2M) + (1/9) (delta / 2M)]
    /// - delta for delta < 2M, and tau = M otherwise. His figures 3-5 (R = 10 min, delta = 5 min)
    /// give 117, 57 and 9.1 min for M = 24 h, 6 h and 15 min.
    public static func daly(delta: Double, mtbf: Double) -> Double {
        guard delta < 2 * mtbf else { return mtbf }
        let ratio = delta / (2 * mtbf)
        return (2 * delta * mtbf).squareRoot() * (1 + ratio.squareRoot() / 3 + ratio / 9) - delta
    }
}

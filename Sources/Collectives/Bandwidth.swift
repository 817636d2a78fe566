/// Algorithm and bus bandwidth, as nccl-tests defines them (doc/PERFORMANCE.md).
public enum Bandwidth {
    /// `algbw = S / t` in GB/s (10^9 bytes per second): the operation's size over its time.
    public static func algorithm(bytes: Int, seconds: Double) -> Double {
        guard seconds > 0, seconds.isFinite else { return 0 }
        return Double(bytes) / seconds / 1e9
    }

    /// `busbw = algbw x factor`, the factor being the collective's (`Collective.busBandwidthFactor`):
    /// the fraction of the buffer each rank's link must carry for the result to be complete, so
    /// that bus bandwidth can be compared with the link's peak whatever the number of ranks.
    public static func bus(algorithm: Double, factor: Double) -> Double { algorithm * factor }
}

/// How many untimed warm-up and timed iterations each message size gets.
///
/// Scaled by size like the OSU Micro-Benchmarks (osu_coll.h / osu_util.h: messages up to
/// `LARGE_MESSAGE_SIZE` = 8 KiB get 1000 iterations after 200 skipped ones, larger ones 100 after
/// 10), with one more tier that OSU lacks because its default sweep stops at 1 MiB: above
/// 16 MiB, 20 iterations after 5, nccl-tests' defaults (`-n 20`, `-w 5` in its common.cu).
/// `--iters` and `--warmup` override the scaled values at every size.
public struct IterationPolicy: Equatable, Sendable {
    /// Forced timed iterations per size (`--iters`), or nil to scale by size.
    public let iterations: Int?
    /// Forced warm-up iterations per size (`--warmup`), or nil to scale by size.
    public let warmup: Int?

    public init(iterations: Int? = nil, warmup: Int? = nil) {
        self.iterations = iterations
        self.warmup = warmup
    }

    /// OSU's boundary between small and large messages.
    public static let largeMessageBytes = 8 << 10
    /// Above this, the nccl-tests tier.
    public static let hugeMessageBytes = 16 << 20

    /// (warm-up, timed) iterations for a message of `bytes`.
    public func counts(forBytes bytes: Int) -> (warmup: Int, iterations: Int) {
        let scaled: (warmup: Int, iterations: Int)
        if bytes <= Self.largeMessageBytes {
            scaled = (200, 1000)
        } else if bytes <= Self.hugeMessageBytes {
            scaled = (10, 100)
        } else {
            scaled = (5, 20)
        }
        return (warmup ?? scaled.warmup, iterations ?? scaled.iterations)
    }
}

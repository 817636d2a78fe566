/// Usable accelerator memory against the nominal capacity the topology files give.
///
/// An H100 SXM5 80 GB reports 81,559 MiB total in nvidia-smi (79.6 GiB, issue 18), not
/// 81,920 MiB: the driver reserves the rest. One fraction for every accelerator until the
/// topology files carry a measured figure each.
public enum MemoryHeadroom {
    /// 81,559 / 81,920 MiB (nvidia-smi, H100 SXM5 80 GB).
    public static let usableFraction = 81_559.0 / 81_920.0

    /// Headroom below which a plan is flagged: PyTorch's caching allocator fragments and the
    /// CUDA context with its kernels takes ~0.5 GiB, neither of which the memory model counts.
    /// 5% is a reporting margin, not a measured constant.
    public static let warningMargin = 0.05

    public static func usable(_ nominalBytes: Double) -> Double { nominalBytes * usableFraction }
}

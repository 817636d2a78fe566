import Hardware

/// Time of one GEMM (or a batch of equal GEMMs) on one accelerator: the roofline of FLOPs over
/// achievable tensor-core throughput and operand bytes over HBM bandwidth.
///
/// Achievable throughput = peak x `matmulEfficiency` x g(M) g(N) g(K), with
/// g(d) = d / (d + d_half) and d_half = `matmulHalfEfficiencyDim` of the accelerator: a
/// saturating curve through published cuBLAS throughput-by-shape measurements (large GEMMs
/// reach `matmulEfficiency` of peak; a dimension of d_half halves the rate along it, from tile
/// and wave quantisation). Both constants live in the topology file with their sources.
public enum MatmulTime {
    /// Seconds for `batch` GEMMs of M x N x K (2MNK FLOPs each) in 16-bit precision.
    public static func seconds(m: Double, n: Double, k: Double, batch: Double = 1,
                               accelerator: Accelerator) -> Double {
        guard m > 0, n > 0, k > 0, batch > 0 else { return 0 }
        let flops = 2 * m * n * k * batch
        let half = accelerator.matmulHalfEfficiencyDim
        // A batch of small GEMMs fills the GPU like one GEMM with batch x M rows.
        let rows = m * batch
        let efficiency = accelerator.matmulEfficiency
            * (rows / (rows + half)) * (n / (n + half)) * (k / (k + half))
        let computeSeconds = flops / (accelerator.peak16BitTFLOPS * 1e12 * efficiency)
        let bytes = 2 * batch * (m * k + k * n + m * n)
        let memorySeconds = bytes / (accelerator.memoryBandwidthGBps * 1e9 * accelerator.memoryBandwidthEfficiency)
        return max(computeSeconds, memorySeconds)
    }

    /// Seconds to stream `bytes` through HBM (a memory-bound elementwise kernel).
    public static func memoryBoundSeconds(bytes: Double, accelerator: Accelerator) -> Double {
        bytes / (accelerator.memoryBandwidthGBps * 1e9 * accelerator.memoryBandwidthEfficiency)
    }
}

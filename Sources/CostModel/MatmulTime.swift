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
    /// Seconds for `batch` GEMMs of M x N x K (2MNK FLOPs each) with inputs in `format`
    /// (16-bit by default): the format picks the tensor-core peak, the saturated efficiency
    /// (`Accelerator.lowPrecisionMatmulEfficiency` for 8- and 4-bit inputs) and the operand bytes.
    public static func seconds(m: Double, n: Double, k: Double, batch: Double = 1,
                               format: MatmulFormat = .sixteenBit, accelerator: Accelerator) -> Double {
        guard m > 0, n > 0, k > 0, batch > 0 else { return 0 }
        let flops = 2 * m * n * k * batch
        let half = accelerator.matmulHalfEfficiencyDim
        // A batch of small GEMMs fills the GPU like one GEMM with batch x M rows.
        let rows = m * batch
        let efficiency = format.saturatedEfficiency(accelerator)
            * (rows / (rows + half)) * (n / (n + half)) * (k / (k + half))
        let computeSeconds = flops / (format.peakTFLOPS(accelerator) * 1e12 * efficiency)
        // Inputs in the format, the output in 16 bits (fp32 for fp32 GEMMs).
        let bytes = batch * (format.inputBytes * (m * k + k * n) + format.outputBytes * m * n)
        let memorySeconds = bytes / (accelerator.memoryBandwidthGBps * 1e9 * accelerator.memoryBandwidthEfficiency)
        return max(computeSeconds, memorySeconds)
    }

    /// Seconds to stream `bytes` through HBM (a memory-bound elementwise kernel).
    public static func memoryBoundSeconds(bytes: Double, accelerator: Accelerator) -> Double {
        bytes / (accelerator.memoryBandwidthGBps * 1e9 * accelerator.memoryBandwidthEfficiency)
    }
}

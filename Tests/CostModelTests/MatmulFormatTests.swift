import CostModel
import Hardware
import Testing

/// GEMMs in reduced-precision formats run at that format's tensor-core peak and saturated
/// efficiency (`MatmulFormat`), on the H100 SXM of `Topologies/dgx-h100.yaml`: dense FP8 peak
/// 1,978.9 TFLOP/s and BF16 989.4 (NVIDIA H100 architecture whitepaper), large FP8 GEMMs at 0.69
/// of the FP8 peak (Azure's measured 1,372 TFLOP/s), BF16 at 0.80 (MAMF table), shape curve
/// d / (d + 160).
@Suite struct MatmulFormatTests {
    @Test func fp8GEMMRunsAtTheFP8PeakAndEfficiency() throws {
        let h100 = try TopologyCatalog.load("dgx-h100").accelerator
        let d = 8192.0, g = d / (d + 160)
        let fp8 = 2 * d * d * d / (1978.9e12 * 0.69 * g * g * g)
        #expect(near(MatmulTime.seconds(m: d, n: d, k: d, format: .fp8, accelerator: h100), fp8))
        let bf16 = 2 * d * d * d / (989.4e12 * 0.80 * g * g * g)
        #expect(near(MatmulTime.seconds(m: d, n: d, k: d, accelerator: h100), bf16))
    }
}

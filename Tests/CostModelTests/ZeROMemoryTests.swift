import CostModel
import Testing

/// Rajbhandari et al. 2020, section 5 / Figure 1: 7.5B parameters, Nd = 64, Adam (K = 12),
/// fp16 weights and gradients: 120 GB, 31.4 GB (P_os), 16.6 GB (P_os+g), 1.9 GB (P_os+g+p).
@Suite struct ZeROMemoryTests {
    @Test(arguments: [(0, 120.0), (1, 31.4), (2, 16.6), (3, 1.9)])
    func zeroPaperExample(stage: Int, expectedGB: Double) {
        let layout = ParallelLayout(dp: 64, zero: stage, globalBatch: 64)
        let params = StageParameters(dense: 7.5e9, expert: 0)
        let recipe = TrainingRecipe(framework: .deepspeed)
        let gigabytes = ModelStateMemory.bytes(for: params, layout: layout, recipe: recipe).modelStates / 1e9
        // The paper prints one decimal (1.875 GB appears as 1.9).
        #expect((gigabytes * 10).rounded() / 10 == expectedGB, "ZeRO-\(stage): \(gigabytes) GB vs \(expectedGB)")
        #expect(abs(gigabytes / expectedGB - 1) < 0.015)
    }

    /// Megatron keeps fp32 main gradients: 2 + 4 + 12 = 18 bytes per parameter without ZeRO
    /// (Korthikanti et al. 2022, section 3; Narayanan et al. 2021).
    @Test func megatronAccountingIs18BytesPerParameter() {
        let bytes = ModelStateMemory.bytes(for: StageParameters(dense: 1, expert: 0), layout: ParallelLayout(),
                                           recipe: TrainingRecipe(framework: .megatronLM))
        #expect(bytes.modelStates == 18)
    }
}

import Testing
@testable import CostModel
import Workloads

/// Transformer Engine keeps a linear layer's input for the backward in the GEMM's input format
/// (TE docs, "Memory usage in low precision training": a 1024 x 1024 bf16 input under
/// `fp8_autocast` leaves "1 MB (input in FP8 saved for backward)"). A GPT layer's linear inputs
/// per token: the QKV and fc1 inputs (h each), the output projection's input (h) and fc2's
/// (4h): 7h elements, one byte each in FP8 instead of two.
@Suite struct QuantisedActivationTests {
    @Test func transformerEngineSavesFP8LinearInputs() {
        let model = megatronGPT(layers: 4, hidden: 4096, heads: 32)
        let layout = ParallelLayout(seq: 2048)
        func perToken(_ framework: Framework, _ precision: Precision) -> Double {
            var recipe = TrainingRecipe(framework: framework)
            recipe.precision = precision
            return ActivationMemory.bytesPerTokenPerLayer(geometry: LayerGeometry(model: model), moe: false, layout: layout,
                                                          recipe: recipe.resolved, keyLength: 2048)
        }
        let h = 4096.0
        let saved: Double = 7 * h * (2 - 1)
        #expect(perToken(.megatronCore, .bf16) - perToken(.megatronCore, .fp8) == saved)
        // torchao's float8 linear saves the bf16 input: no change.
        #expect(perToken(.torchtitan, .bf16) == perToken(.torchtitan, .fp8))
    }

    /// Bytes per element of a quantised tensor with its scales: FP8 1; MXFP8 1 + 1/32 (an E8M0
    /// scale per 32 values, OCP MX spec v1.0); NVFP4 1/2 + 1/16 (an E4M3 scale per 16).
    @Test func quantisedElementWidths() {
        #expect(Precision.fp8.linearInputBytes == 1)
        #expect(Precision.mxfp8.linearInputBytes == 1 + 1.0 / 32)
        #expect(Precision.nvfp4.linearInputBytes == 0.5 + 1.0 / 16)
        #expect(Precision.bf16.linearInputBytes == 2)
    }
}

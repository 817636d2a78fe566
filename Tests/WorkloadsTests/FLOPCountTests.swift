import Testing
@testable import Workloads

@Suite struct FLOPCountTests {
    static let megatron = [
        "megatron-1.7b", "megatron-3.6b", "megatron-7.5b", "megatron-18.4b", "megatron-39.1b",
        "megatron-76.1b", "megatron-145.6b", "megatron-310.1b", "megatron-529.6b", "megatron-1t",
    ]

    /// Narayanan et al. 2021, eq. 3, per token (divide by B s): with full recomputation
    /// F = 96 l h^2 (1 + s/(6h) + V/(16 l h)). Its terms: per layer forward 24 h^2 + 4 s h (each
    /// counted 4 times: forward, backward = 2 forward, recomputed forward) and the logits 2 V h
    /// (counted 3 times, never recomputed). Without recomputation the layer terms count 3 times:
    /// 72 l h^2 (1 + s/(6h)) + 6 V h = 72 l h^2 (1 + s/(6h) + V/(12 l h)).
    /// Biases and norms are not matmuls, so the match is exact up to rounding.
    @Test(arguments: megatron)
    func megatronEquation3(name: String) throws {
        let model = try ModelCatalog.preset(named: name)
        let (l, h, v) = (Double(model.layers), Double(model.hidden), Double(model.vocab))
        let s = 2048.0
        let flops = model.flops(seq: 2048)
        let modelFLOPs = 72 * l * h * h * (1 + s / (6 * h) + v / (12 * l * h))
        let equation3 = 96 * l * h * h * (1 + s / (6 * h) + v / (16 * l * h))
        #expect(abs(flops.training / modelFLOPs - 1) < 1e-9)
        #expect(abs((flops.training + flops.fullRecomputation) / equation3 - 1) < 1e-9)
        #expect(model.trainingFLOPsPerToken(seq: 2048) == flops.training)
    }

    /// GPT-3 175B at 2048 tokens: about 6N + 12 L h s (PaLM appendix B), N the non-embedding
    /// matmul parameters plus the logits.
    @Test func palmFormula() throws {
        let model = try ModelCatalog.preset(named: "gpt3-175b")
        let n = Double(12 * model.layers * model.hidden * model.hidden + model.vocab * model.hidden)
        let palm = 6 * n + 12 * Double(model.layers * model.hidden * 2048)
        #expect(abs(model.flops(seq: 2048).training / palm - 1) < 1e-9)
    }

    /// Causal masking halves only the attention term.
    @Test func causalHalvesAttention() throws {
        let model = try ModelCatalog.preset(named: "llama-3.1-8b")
        let full = model.flops(seq: 8192)
        let causal = model.flops(seq: 8192, causal: true)
        #expect(causal.attention == full.attention / 2)
        #expect(causal.layerMatmuls == full.layerMatmuls)
        #expect(causal.output == full.output)
        #expect(full.attention == 4 * 8192 * 32 * 128 * 32)
        #expect(full.backward == 2 * full.forward)
    }

    /// The default sequence is maxSeq.
    @Test func defaultSequenceIsMaxSeq() throws {
        let model = try ModelCatalog.preset(named: "gpt2")
        #expect(model.flops().seq == 1024)
        #expect(model.flops() == model.flops(seq: 1024))
    }

    /// MoE: only the router, the shared experts and the top-k routed experts are multiplied.
    /// Mixtral-8x7B has no biases, so its forward pass is 2 x (active parameters - embedding
    /// table - norms).
    @Test func moeCountsActiveExpertsOnly() throws {
        let model = try ModelCatalog.preset(named: "mixtral-8x7b")
        let count = model.parameterCount
        let matmulWeights = Double(count.active - count.embedding - count.norms)
        let flops = model.flops(seq: 0)
        #expect(flops.attention == 0)
        #expect(flops.forward == 2 * matmulWeights)
    }

    /// DeepSeek MLA: scores over d_nope + d_rope = 192, values over v_head_dim = 128.
    @Test func latentAttention() throws {
        let model = try ModelCatalog.preset(named: "deepseek-v3")
        let flops = model.flops(seq: 4096)
        #expect(flops.attention == 61 * 2 * 4096 * 128 * (192 + 128))
        // About 6 x 37B activated parameters per token plus attention (DeepSeek-V3 report, 4K context).
        let perToken = flops.training - 3 * flops.attention
        #expect(abs(perToken / (6 * Double(model.parameterCount.activeNonEmbedding)) - 1) < 0.01)
    }
}

import Testing
@testable import CostModel
import Hardware

/// A flash-attention kernel's rate against the keys each call loops over: the Triton
/// FlashAttention-2 forward on H100 at head dimension 128 (pytorch/benchmark PR #2391, commit
/// ff65cb6): 328.882 TFLOP/s at 512 keys, 433.721 at 2048, 458.359 at 4096, 476.753 at 16384.
@Suite struct FlashAttentionKeyLengthTests {
    /// The measured points divided by the 16,384-key rate; 1 from there on; the first point's
    /// ratio below it; halfway in log2 between 2048 and 4096 keys (2048 x sqrt 2), the mean of
    /// the two rates.
    @Test func ratesRelativeToTheLongestKeyLoop() {
        #expect(FlashAttentionKeyLength.fraction(keys: 16_384) == 1)
        #expect(FlashAttentionKeyLength.fraction(keys: 1_048_576) == 1)
        #expect(abs(FlashAttentionKeyLength.fraction(keys: 512) - 328.882 / 476.753) < 1e-12)
        #expect(abs(FlashAttentionKeyLength.fraction(keys: 128) - 328.882 / 476.753) < 1e-12)
        #expect(abs(FlashAttentionKeyLength.fraction(keys: 4096) - 458.359 / 476.753) < 1e-12)
        let midpoint = 2048 * 2.0.squareRoot()
        #expect(abs(FlashAttentionKeyLength.fraction(keys: midpoint) - (433.721 + 458.359) / 2 / 476.753) < 1e-12)
    }

    /// The core's forward at 4096 keys: 2 x 32 x 4096^2 x 256 FLOPs at 989.4 x 0.55 TFLOP/s
    /// (dgx-h100's bf16 peak and attention efficiency) x 458.359 / 476.753.
    @Test func shortKeyLoopsRunBelowTheQuotedRate() throws {
        let acc = try TopologyCatalog.load("dgx-h100").accelerator
        let recipe = TrainingRecipe(framework: .megatronCore, flashAttention: true).resolved
        let core = AttentionCoreTime(queries: 4096, keys: 4096, batch: 32, qkHeadDim: 128, vHeadDim: 128,
                                     recipe: recipe, accelerator: acc)
        let expected = 2 * 32 * 4096.0 * 4096 * 256 / (acc.peak16BitTFLOPS * 1e12 * 0.55 * 458.359 / 476.753)
        #expect(acc.attentionEfficiency == 0.55)
        #expect(abs(core.forward / expected - 1) < 1e-12)
        #expect(abs(core.backward / (2.5 * expected) - 1) < 1e-12)
    }

    /// Under context parallelism each ring step's kernel loops over one rank's chunk: 65,536 keys
    /// over CP 8 run at the 8192-key rate (470.732 of 476.753), over CP 1 at the full rate.
    @Test func contextParallelChunksSetTheKeyLoop() throws {
        let acc = try TopologyCatalog.load("dgx-h100").accelerator
        let recipe = TrainingRecipe(framework: .megatronCore, flashAttention: true).resolved
        func core(_ kernelKeys: Double) -> AttentionCoreTime {
            AttentionCoreTime(queries: 8192, keys: 65_536, batch: 8, qkHeadDim: 128, vHeadDim: 128,
                              recipe: recipe, accelerator: acc, kernelKeys: kernelKeys)
        }
        #expect(abs(core(8192).forward / core(65_536).forward - 476.753 / 470.732) < 1e-12)
    }

    /// In a layer under CP 8 at 65,536 tokens, Megatron's selective recomputation reruns the
    /// attention core's forward: each rank's 8192 queries against 65,536 keys, 32 heads, head
    /// dimension 128 (2 x 32 x 8192 x 65536 x 256 FLOPs) at A100's 312 TFLOP/s x 0.6 x the
    /// 8192-key rate (470.732 of 476.753): the ring steps' kernels loop over 8192-key chunks.
    @Test func aLayerUnderContextParallelismTimesTheChunk() {
        let model = megatronGPT(layers: 4, hidden: 4096, heads: 32)
        let layer = layerTime(model, ParallelLayout(cp: 8, seq: 65_536),
                              TrainingRecipe(framework: .megatronCore, recompute: .selective, flashAttention: true))
        let expected = 2 * 32 * 8192.0 * 65_536 * 256 / (A100.peak * A100.attentionEfficiency * 470.732 / 476.753)
        #expect(abs(layer.recompute / expected - 1) < 1e-9, "\(layer.recompute) vs \(expected)")
    }
}

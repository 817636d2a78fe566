import Testing
@testable import CostModel
import Hardware
import Workloads

/// The elementwise ops a JAX remat policy re-runs in the backward (`RematPolicy.recomputedElementwise`),
/// as bytes written out by hand for one Llama-shaped layer (h 4096, 32 query heads and 8 K/V heads
/// of 128, SwiGLU 14,336, RMSNorm, rotary) of one 2048-token sequence on one A100, priced with the
/// fused kernels' bytes per element (`KernelTraffic.fused`: RMSNorm 4, residual add 7, SwiGLU 6,
/// rotary 4). MaxText's `minimal` (`checkpoint_dots_with_no_batch_dims`) keeps every projection's
/// output, so what it re-runs is the attention core (its dots have a batch dimension) and the
/// elementwise ops between the kept dots (JAX docs, "Control autodiff's saved values with
/// jax.checkpoint").
@Suite struct RematElementwiseTests {
    let tokens = 2048.0

    func minimalRecipe() -> TrainingRecipe {
        var recipe = TrainingRecipe(framework: .maxtext, recompute: .selective)
        recipe.flashAttention = true
        return recipe
    }

    /// Flash attention forward of 32 heads x 2048 x 2048 x (128 + 128), at the A100's fused
    /// attention rate times what a causal loop reaches with 2,048 keys: FlashAttention-2's 155 of
    /// its 189 TFLOP/s at 16k keys on A100 (Dao 2023, Fig. 4d, `FlashAttentionKeyLength`).
    var coreForward: Double {
        2 * 32 * tokens * tokens * (128 + 128) / (A100.peak * A100.attentionEfficiency * 155 / 189)
    }

    /// Sequential block: both norms 2 x 4 B x 4096 x 2048 = 67,108,864; the add feeding the MLP
    /// norm 7 B x 4096 x 2048 = 58,720,256; SwiGLU 6 B x 14,336 x 2048 = 176,160,768; rotary on
    /// Q and K 4 B x (4096 + 1024) x 2048 = 41,943,040: 343,932,928 bytes beside the core. The
    /// layer's last residual add is not re-run (its backward reads nothing).
    @Test func minimalRecomputesTheElementwiseOpsOfASequentialBlock() {
        let layer = layerTime(llamaShaped(), ParallelLayout(seq: 2048), minimalRecipe())
        let bytes: Double = 67_108_864 + 58_720_256 + 176_160_768 + 41_943_040
        #expect(bytes == 343_932_928)
        #expect(near(layer.recompute, coreForward + hbmSeconds(bytes), 1e-12), "\(layer.recompute)")
    }

    /// Parallel block (PaLM, MaxText's default decoder at 76bd53b0): both branches read the
    /// layer input, so no residual add is re-run: 343,932,928 - 58,720,256 = 285,212,672 bytes.
    @Test func minimalRecomputesNoResidualAddOfAParallelBlock() {
        var model = llamaShaped()
        model.parallelBlock = true
        let layer = layerTime(model, ParallelLayout(seq: 2048), minimalRecipe())
        #expect(near(layer.recompute, coreForward + hbmSeconds(285_212_672), 1e-12), "\(layer.recompute)")
    }

    /// Per-head norms on Q, K and V (MaxText @76bd53b0 `query_norm`, `key_norm`, `value_norm`;
    /// Qwen3 `q_norm`/`k_norm`): an RMSNorm's 4 bytes per element of 4096 + 1024 + 1024 widths x
    /// 2048 tokens = 50,331,648 bytes forward, twice that backward, and re-run by minimal, which
    /// keeps the dots they read: 343,932,928 + 50,331,648 = 394,264,576 bytes beside the core.
    /// With Q and K only: 4 x (4096 + 1024) x 2048 = 41,943,040.
    @Test func perHeadNormsAreMemoryBoundWorkMinimalReRuns() {
        var model = llamaShaped()
        let plain = layerTime(model, ParallelLayout(seq: 2048), minimalRecipe())
        model.details.qkNorm = true
        let queryKey = layerTime(model, ParallelLayout(seq: 2048), minimalRecipe())
        #expect(near(queryKey.forward - plain.forward, hbmSeconds(41_943_040), 1e-6))
        model.details.valueNorm = true
        let layer = layerTime(model, ParallelLayout(seq: 2048), minimalRecipe())
        #expect(near(layer.forward - plain.forward, hbmSeconds(50_331_648), 1e-6))
        #expect(near(layer.backward - plain.backward, 2 * hbmSeconds(50_331_648), 1e-6))
        #expect(near(layer.recompute, coreForward + hbmSeconds(394_264_576), 1e-12), "\(layer.recompute)")
        // save_qkv_proj keeps Q, K and V after their norms (attentions.py names them there).
        var qkv = minimalRecipe()
        qkv.remat = .saveQKVProj
        let kept = layerTime(model, ParallelLayout(seq: 2048), qkv)
        let keptPlain = layerTime(llamaShaped(), ParallelLayout(seq: 2048), qkv)
        #expect(near(kept.recompute, keptPlain.recompute, 1e-12))
    }

    /// `none` re-runs nothing; `save_qkv_proj` keeps Q and K after the rotary embedding, so of
    /// the 343,932,928 bytes it spares rotary's 41,943,040 (and re-runs the MLP input GEMMs and the
    /// core beside them, as minimal does not).
    @Test func policiesThatKeepMoreReRunLess() {
        var none = minimalRecipe()
        none.remat = RematPolicy.none
        #expect(layerTime(llamaShaped(), ParallelLayout(seq: 2048), none).recompute == 0)
        var qkv = minimalRecipe()
        qkv.remat = .saveQKVProj
        let layer = layerTime(llamaShaped(), ParallelLayout(seq: 2048), qkv)
        // The SwiGLU input projections (2048 x 28,672 x 4096) and the output projection
        // (2048 x 4096 x 4096) are recomputed: saveQKVProj keeps neither.
        let gemms = gemmByHand(m: tokens, n: 2 * 14336, k: 4096) + gemmByHand(m: tokens, n: 4096, k: 4096)
        let bytes: Double = 343_932_928 - 41_943_040
        #expect(near(layer.recompute, gemms + coreForward + hbmSeconds(bytes), 1e-9), "\(layer.recompute)")
    }
}

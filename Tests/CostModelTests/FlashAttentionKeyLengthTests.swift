import Testing
@testable import CostModel
import Hardware
import Workloads

/// A flash-attention kernel's rates against the keys each call loops over: cuDNN 9.19 SDPA on
/// H200, bf16, head dimension 128, 64 query heads (NVIDIA/cudnn-frontend
/// benchmark/sdpa_benchmark_training/results/h200_919_only_cudnn/llama3.1_20260227_034703.csv):
/// causal forward 484, 591, 644, 673, 688 TFLOP/s and backward 370, 474, 541, 579, 581 at 2048,
/// 4096, 8192, 16384, 32768 keys; unmasked forward 702 and backward 612 at 16384, 693 and 572
/// at 32768.
@Suite struct FlashAttentionKeyLengthTests {
    func near(_ a: (forward: Double, backward: Double), _ b: (Double, Double)) -> Bool {
        abs(a.forward - b.0) < 1e-12 && abs(a.backward - b.1) < 1e-12
    }

    /// The measured rates over the 32,768-key ones; the end values beyond the measured range;
    /// halfway in log2 between 2048 and 4096 keys (2048 x sqrt 2), the mean of the two rates.
    @Test func ratesRelativeToTheLongestKeyLoop() {
        #expect(near(FlashAttentionKeyLength.fractions(keys: 32_768, mask: .causal), (1, 1)))
        #expect(near(FlashAttentionKeyLength.fractions(keys: 1_048_576, mask: .causal), (1, 1)))
        #expect(near(FlashAttentionKeyLength.fractions(keys: 2048, mask: .causal), (484.0 / 688, 370.0 / 581)))
        // Below the shortest measured loop, the tile count from the 2k and 4k points: 512 keys are
        // 4 query blocks of 128 rows (`TileCountByHand`).
        let forward512 = 484.0 / 688 * TileCountByHand.scale(keys: 512, k1: 2048, r1: 484, k2: 4096, r2: 591, causal: true)
        let backward512 = 370.0 / 581 * TileCountByHand.scale(keys: 512, k1: 2048, r1: 370, k2: 4096, r2: 474, causal: true)
        #expect(near(FlashAttentionKeyLength.fractions(keys: 512, mask: .causal), (forward512, backward512)))
        // Hopper's causal forward: c = (r n2 (n1 + 1) - n1 (n2 + 1)) / (2 (n1 - r n2)) with r = 484/591,
        // n1 = 16, n2 = 32 is 4.04; at whole tiles the efficiency is n / (n + 1 + 2c), so 512 keys
        // (n = 4) reach 4 / 13.08 of the rate over 16 / 25.08 at 2048: 0.479 of it.
        #expect(abs(TileCountByHand.scale(keys: 512, k1: 2048, r1: 484, k2: 4096, r2: 591, causal: true) - 0.479) < 0.001)
        // A 180-token packed document is two query blocks, the second partial and computed whole:
        // useful 180^2 / (2 x 128^2) = 0.989 tiles over 3 tiles + 2c = 11.08, 0.0892, over 0.638
        // at 2048 keys: 0.140 of the 2048-key rate, 0.0984 of the long-key one.
        #expect(abs(FlashAttentionKeyLength.fractions(keys: 180, mask: .causal).forward - 0.0984) < 0.0005)
        #expect(near(FlashAttentionKeyLength.fractions(keys: 4096, mask: .causal), (591.0 / 688, 474.0 / 581)))
        let midpoint = 2048 * 2.0.squareRoot()
        #expect(near(FlashAttentionKeyLength.fractions(keys: midpoint, mask: .causal),
                     ((484.0 + 591) / 2 / 688, (370.0 + 474) / 2 / 581)))
        // Unmasked (bidirectional, cross-attention) cores take the no-mask rows.
        #expect(near(FlashAttentionKeyLength.fractions(keys: 16_384, mask: .bidirectional), (702.0 / 693, 612.0 / 572)))
    }

    /// Blackwell's causal curve (cuDNN 9.22 on GB200, llama3.1_20260424_100750.csv): forward
    /// 1097, 1408, 1574, 1708, 1622 and backward 885, 1148, 1332, 1328, 1226 TFLOP/s at 2048 ...
    /// 32,768 keys, so 16,384-key loops run above the 32,768-key rate; Blackwell Ultra's (GB300,
    /// llama3.1_20260424_100757.csv) 1703 of 1953 forward and 1248 of 1490 backward at 4096 keys;
    /// Blackwell's unmasked 1599 of 1634 and 1350 of 1262.
    @Test func blackwellPartsFollowTheirOwnCurve() {
        #expect(near(FlashAttentionKeyLength.fractions(keys: 4096, mask: .causal, curve: .blackwell),
                     (1408.0 / 1622, 1148.0 / 1226)))
        #expect(near(FlashAttentionKeyLength.fractions(keys: 16_384, mask: .causal, curve: .blackwell),
                     (1708.0 / 1622, 1328.0 / 1226)))
        #expect(near(FlashAttentionKeyLength.fractions(keys: 4096, mask: .causal, curve: .blackwellUltra),
                     (1703.0 / 1953, 1248.0 / 1490)))
        #expect(near(FlashAttentionKeyLength.fractions(keys: 4096, mask: .bidirectional, curve: .blackwell),
                     (1599.0 / 1634, 1350.0 / 1262)))
    }

    /// A GB200 causal core at 8192 keys: 2 x 64 x 8192^2 x 256 FLOPs at 2500 TFLOP/s x 0.527
    /// (gb200-nvl72's attention efficiency) x 1574 / 1622 forward, 2.5x the FLOPs at x 1332 / 1226
    /// backward: the part's topology names its curve.
    @Test func aBlackwellCoreTimesAtItsOwnCurve() throws {
        let acc = try TopologyCatalog.load("gb200-nvl72").accelerator
        let recipe = TrainingRecipe(framework: .megatronCore, flashAttention: true).resolved
        let core = AttentionCoreTime(queries: 8192, keys: 8192, batch: 64, qkHeadDim: 128, vHeadDim: 128,
                                     recipe: recipe, accelerator: acc)
        let flops = 2 * 64 * 8192.0 * 8192 * 256
        #expect(abs(core.forward / (flops / (2500e12 * 0.527 * 1574 / 1622)) - 1) < 1e-12)
        #expect(abs(core.backward / (2.5 * flops / (2500e12 * 0.527 * 1332 / 1226)) - 1) < 1e-12)
    }

    /// The causal core's forward at 4096 keys: 2 x 32 x 4096^2 x 256 FLOPs at 989.4 x 0.61 TFLOP/s
    /// (dgx-h100's bf16 peak and attention efficiency) x 591 / 688; its backward 2.5x those FLOPs
    /// at the same rate x 474 / 581.
    @Test func shortKeyLoopsRunBelowTheQuotedRate() throws {
        let acc = try TopologyCatalog.load("dgx-h100").accelerator
        let recipe = TrainingRecipe(framework: .megatronCore, flashAttention: true).resolved
        let core = AttentionCoreTime(queries: 4096, keys: 4096, batch: 32, qkHeadDim: 128, vHeadDim: 128,
                                     recipe: recipe, accelerator: acc)
        let flops = 2 * 32 * 4096.0 * 4096 * 256
        #expect(acc.attentionEfficiency == 0.61)
        #expect(abs(core.forward / (flops / (989.4e12 * 0.61 * 591 / 688)) - 1) < 1e-12)
        #expect(abs(core.backward / (2.5 * flops / (989.4e12 * 0.61 * 474 / 581)) - 1) < 1e-12)
    }

    /// Under context parallelism each ring step's kernel loops over one rank's chunk: 65,536 keys
    /// over CP 8 run at the 8192-key forward rate (644 of 688), over CP 1 at the full rate.
    @Test func contextParallelChunksSetTheKeyLoop() throws {
        let acc = try TopologyCatalog.load("dgx-h100").accelerator
        let recipe = TrainingRecipe(framework: .megatronCore, flashAttention: true).resolved
        func core(_ kernelKeys: Double) -> AttentionCoreTime {
            AttentionCoreTime(queries: 8192, keys: 65_536, batch: 8, qkHeadDim: 128, vHeadDim: 128,
                              recipe: recipe, accelerator: acc, kernelKeys: kernelKeys)
        }
        #expect(abs(core(8192).forward / core(65_536).forward - 688.0 / 644) < 1e-12)
    }

    /// In a layer under CP 8 at 65,536 tokens, Megatron's selective recomputation reruns the
    /// attention core's forward: each rank's 8192 queries against 65,536 keys, 32 heads, head
    /// dimension 128 (2 x 32 x 8192 x 65536 x 256 FLOPs) at A100's 312 TFLOP/s x 0.6 x
    /// FlashAttention-2's 8k-key rate (182 of 189, Dao 2023, Fig. 4d): the ring steps' kernels
    /// loop over 8192-key chunks.
    @Test func aLayerUnderContextParallelismTimesTheChunk() {
        let model = megatronGPT(layers: 4, hidden: 4096, heads: 32)
        let layer = layerTime(model, ParallelLayout(cp: 8, seq: 65_536),
                              TrainingRecipe(framework: .megatronCore, recompute: .selective, flashAttention: true))
        let expected = 2 * 32 * 8192.0 * 65_536 * 256 / (A100.peak * A100.attentionEfficiency * 182 / 189)
        #expect(abs(layer.recompute / expected - 1) < 1e-9, "\(layer.recompute) vs \(expected)")
    }

    /// T5-3B's cross-attention (32 heads of 128; micro-batch 4, T = 128 queries over S = 512
    /// keys, TP 1) is unmasked: with selective recomputation the block reruns its core's forward,
    /// 2 x 4 x 32 x 128 x 512 x 256 FLOPs at A100's 312 TFLOP/s x 0.6 x FlashAttention-2's
    /// unmasked rate at 512 keys: 187 of 203 TFLOP/s at 2k (Dao 2023, Fig. 4b) scaled by the tile
    /// count from its 2k and 4k points (`TileCountByHand`), not the causal curve.
    @Test func crossAttentionIsUnmasked() throws {
        let model = try ModelCatalog.preset(named: "t5-3b")
        let layout = ParallelLayout(microBatch: 4, globalBatch: 4, seq: 512, targetSeq: 128)
        let block = DecoderLayerTime.crossAttention(
            geometry: LayerGeometry(model: model), layout: layout,
            recipe: TrainingRecipe(recompute: .selective, flashAttention: true).resolved, cluster: dgxA100(),
            placement: RankPlacement(layout: layout, gpusPerNode: 8))
        let expected = 2 * 4 * 32 * 128 * 512 * 256.0 / (A100.peak * A100.attentionEfficiency * 187 / 203
            * TileCountByHand.scale(keys: 512, k1: 2048, r1: 187, k2: 4096, r2: 196, causal: false))
        #expect(abs(block.recompute / expected - 1) < 1e-9, "\(block.recompute) vs \(expected)")
    }
}

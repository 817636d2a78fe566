import CostModel
import Testing
import Workloads

/// What LoRA and QLoRA change in one layer's time (`FineTuneTime`), on Llama 3.1 8B's dense
/// layer (Dubey et al. 2024, Table 3: h 4096, 32 heads of 128, 8 K/V heads, MLP 14,336) on an
/// A100, against hand calculations from Hu et al. 2021 (frozen base, adapters `A` in x r and
/// `B` r x out) and Dettmers et al. 2023 (NF4 dequantised before every GEMM). The base layer's
/// times are chosen here, so every expected value is the mechanism's formula written out.
@Suite struct FineTuneTimeTests {
    let model: TransformerModel
    let layout = ParallelLayout(microBatch: 1, globalBatch: 1, seq: 2048)
    let tokens = 2048.0

    init() throws { model = try ModelCatalog.preset(named: "llama-3.1-8b") }

    /// A base layer with round numbers: forward 10 ms, backward 20 ms, of which the forward
    /// linear GEMMs take 6 ms and 1 TFLOP.
    var base: LayerTime {
        var time = LayerTime()
        time.forward = 0.010
        time.backward = 0.020
        time.linearForward = 0.006
        time.linearForwardFLOPs = 1e12
        time.modelFLOPs = 3e12
        time.hardwareFLOPs = 3e12
        return time
    }

    func adjusted(_ method: FinetuneMethod) -> LayerTime {
        var recipe = TrainingRecipe()
        recipe.fineTuning = FineTuning(method: method, rank: 8, targets: [.q, .v])
        return FineTuneTime.adjusted(base, geometry: LayerGeometry(model: model), kind: .dense, layout: layout,
                                     recipe: recipe, cluster: dgxA100())
    }


    /// Rank-8 adapters on q (4096 -> 4096) and v (4096 -> 1024): `x A` is tokens x 8 x (4096 +
    /// 4096) and `(x A) B` tokens x (4096 + 1024) x 8, batched per side as the code sums widths.
    var adapterForward: Double {
        gemmByHand(m: tokens, n: 8, k: 8192) + gemmByHand(m: tokens, n: 5120, k: 8)
    }

    /// LoRA: the forward adds the adapters; the backward drops the frozen weights' gradient
    /// GEMMs (one forward's worth of linear GEMMs, 6 ms) and adds the adapters' input and weight
    /// gradients (twice their forward).
    @Test func loraFreezesTheBaseWeightGradients() {
        let lora = adjusted(.lora)
        #expect(near(lora.forward, 0.010 + adapterForward), "\(lora.forward)")
        #expect(near(lora.backward, 0.020 - 0.006 + 2 * adapterForward), "\(lora.backward)")
        // Model FLOPs: the 1 TFLOP of weight-gradient GEMMs gone, 3 x 2 x tokens x r x (in + out)
        // of adapters added (in + out = 8192 + 5120 = 13,312).
        let adapterFLOPs = 2 * tokens * 8 * 13312
        #expect(near(lora.modelFLOPs, 3e12 - 1e12 + 3 * adapterFLOPs))
    }

    /// QLoRA adds, to the forward and to the backward, one dequantisation of the layer's
    /// 218,103,808 matrix weights (Q, O 4096 x 4096; K, V 4096 x 1024; gate, up, down 4096 x
    /// 14,336): read 0.515869140625 NF4 bytes and write 2 bf16 bytes per weight at HBM speed.
    @Test func qloraDequantisesEveryMatrixPerPass() {
        let lora = adjusted(.lora), qlora = adjusted(.qlora)
        let matrices: Double = 2 * 4096 * 4096 + 2 * 4096 * 1024 + 3 * 4096 * 14336
        #expect(matrices == 218_103_808)
        let dequantise = matrices * (0.515869140625 + 2) / A100.hbm
        #expect(near(qlora.forward - lora.forward, dequantise, 1e-6), "\(qlora.forward - lora.forward) vs \(dequantise)")
        #expect(near(qlora.backward - lora.backward, dequantise, 1e-6))
    }

    /// Under FP8 a trained linear layer writes its input twice in 8 bits, row-wise for its own
    /// GEMM and transposed for the weight gradient's; a frozen one only the first (Transformer
    /// Engine casts without the transpose when the weight needs no gradient). Llama 3.1 8B's
    /// linears read inputs of widths 4,096 (QKV), 4,096 (output projection), 4,096 (gate and up,
    /// one GEMM) and 14,336 (down): 2,048 x 26,624 = 54,525,952 one-byte elements at HBM speed
    /// come off the LoRA layer's forward.
    @Test func aFrozenFP8LayerWritesNoTransposedInput() {
        var recipe = TrainingRecipe(precision: .fp8)
        // The A100 of the hand calculations, given an FP8 rate (twice bf16, as Hopper's) so its
        // GEMMs run; the copies depend on HBM only.
        var cluster = dgxA100()
        cluster.accelerator.peakTFLOPS.fp8 = 624
        let placement = RankPlacement(layout: layout, gpusPerNode: 8)
        let full = LayerTimeModel.layer(geometry: LayerGeometry(model: model), moe: false, layout: layout, recipe: recipe,
                                        cluster: cluster, placement: placement)
        let copy: Double = 2048 * (4096 + 4096 + 4096 + 14336) * 1 / A100.hbm
        #expect(near(full.weightGradientInputCopy, copy, 1e-9), "\(full.weightGradientInputCopy) vs \(copy)")
        recipe.fineTuning = FineTuning(method: .lora, rank: 8, targets: [.q, .v])
        let lora = FineTuneTime.adjusted(full, geometry: LayerGeometry(model: model), kind: .dense, layout: layout,
                                         recipe: recipe, cluster: cluster)
        #expect(near(lora.forward, full.forward + adapterForward - copy, 1e-9), "\(lora.forward)")
        #expect(LayerTimeModel.layer(geometry: LayerGeometry(model: model), moe: false, layout: layout,
                                     recipe: TrainingRecipe(), cluster: cluster, placement: placement)
            .weightGradientInputCopy == 0, "bf16 quantises nothing")
    }
}

import Testing
@testable import CostModel
import Hardware
import Workloads

/// Sliding-window attention (gpt-oss: 128 keys on every other layer) in the layer time: the
/// mean layer's attention core is half a full core and half a 128-key band when the kernel is
/// flash attention, and the full core otherwise (eager attention masks the full score matrix).
@Suite struct SlidingWindowTimeTests {
    func layer(_ model: TransformerModel, flash: Bool) throws -> LayerTime {
        let cluster = try TopologyCatalog.load("dgx-h100")
        let layout = ParallelLayout(tp: 1, microBatch: 1, globalBatch: 1, seq: 4096)
        let recipe = TrainingRecipe(framework: .megatronCore, flashAttention: flash).resolved
        return LayerTimeModel.layer(geometry: LayerGeometry(model: model), moe: true, layout: layout, recipe: recipe,
                                    cluster: cluster, placement: RankPlacement(layout: layout, gpusPerNode: 8))
    }

    /// gpt-oss-20b at 4096 tokens, one sequence: a full core is 2 x 64 heads x 4096 x 4096 x (64 +
    /// 64) FLOPs forward, a banded one 2 x 64 x 4096 x 128 x 128; the mean layer saves half the
    /// difference, times 3 for forward and backward model FLOPs. The forward time falls by half the
    /// difference of the two cores' times at dgx-h100's attention rate (989.4 x 0.61 TFLOP/s)
    /// times the causal kernel's reached rates (cuDNN on H200, NVIDIA/cudnn-frontend
    /// sdpa_benchmark_training llama3.1 results): the 4096-key loop forward 591 of 688 TFLOP/s,
    /// backward 474 of 581; the 128-key band the shortest measured loop's 484 and 370.
    @Test func flashAttentionSkipsTheBand() throws {
        let windowed = try ModelCatalog.preset(named: "gpt-oss-20b")
        var full = windowed
        full.attentionWindow = nil
        let a = try layer(windowed, flash: true), b = try layer(full, flash: true)
        let fullCore: Double = 2 * 64 * 4096 * 4096 * 128
        let bandCore: Double = 2 * 64 * 4096 * 128 * 128
        #expect(abs((b.modelFLOPs - a.modelFLOPs) / (3 * 0.5 * (fullCore - bandCore)) - 1) < 1e-9)
        let recipe = TrainingRecipe(framework: .megatronCore, flashAttention: true).resolved
        let core = AttentionCoreTime(queries: 4096, keys: 4096, batch: 64, qkHeadDim: 64, vHeadDim: 64,
                                     recipe: recipe, accelerator: try TopologyCatalog.load("dgx-h100").accelerator)
        #expect(core.flops == fullCore)
        let rate = 989.4e12 * 0.61
        let saved = (fullCore / (rate * 591 / 688) - bandCore / (rate * 484 / 688)) / 2
        let savedBackward = 2.5 * (fullCore / (rate * 474 / 581) - bandCore / (rate * 370 / 581)) / 2
        #expect(abs(core.forward / (fullCore / (rate * 591 / 688)) - 1) < 1e-12)
        #expect(abs((b.forward - a.forward) / saved - 1) < 1e-9)
        #expect(abs((b.backward - a.backward) / savedBackward - 1) < 1e-9)
    }

    /// gpt-oss-20b with its window, and without it.
    static func windowedAndFull() throws -> (windowed: TransformerModel, full: TransformerModel) {
        let windowed = try ModelCatalog.preset(named: "gpt-oss-20b")
        var full = windowed
        full.attentionWindow = nil
        return (windowed, full)
    }

    /// One MoE layer of `model` at one 4096-token sequence on GB200 under `recipe` (flash attention).
    static func gb200Layer(_ model: TransformerModel, _ recipe: TrainingRecipe) throws -> LayerTime {
        let cluster = try TopologyCatalog.load("gb200-nvl72")
        let layout = ParallelLayout(tp: 1, microBatch: 1, globalBatch: 1, seq: 4096)
        var flash = recipe
        flash.flashAttention = true
        return LayerTimeModel.layer(geometry: LayerGeometry(model: model), moe: true, layout: layout, recipe: flash.resolved,
                                    cluster: cluster, placement: RankPlacement(layout: layout, gpusPerNode: 4))
    }

    /// gpt-oss-20b's forward cores on GB200: the full one, 2 x 64 heads x 4096 x 4096 x (64 + 64)
    /// FLOPs at 2,500 TFLOP/s x 0.527 times what a causal 4096-key loop reaches of the kernel's
    /// 32,768-key rate (cuDNN's training curve on GB200, `FlashAttentionKeyLength`: forward 1408 of
    /// 1622, backward 1148 of 1226 TFLOP/s), and the 128-key band, 2 x 64 x 4096 x 128 x (64 + 64) at the
    /// measured band rate 0.071.
    static let fullCoreFLOPs: Double = 2 * 64 * 4096 * 4096 * 128
    static let fullForward: Double = fullCoreFLOPs / (2500e12 * 0.527 * 1408 / 1622)
    static let fullBackward: Double = 2.5 * fullCoreFLOPs / (2500e12 * 0.527 * 1148 / 1226)
    static let bandForward: Double = 2 * 64 * 4096 * 128 * 128 / (2500e12 * 0.071)

    /// On GB200 the 128-key band runs at the measured narrow-band rate (`banded_attention_efficiency`
    /// 0.071, cuDNN-frontend's GPT-OSS SDPA benchmark), not the full kernel's 0.527: forward
    /// `bandForward`, 2.5 times that backward, on half of the layers.
    @Test func aNarrowBandRunsAtTheMeasuredBandRate() throws {
        let (windowed, full) = try Self.windowedAndFull()
        let nemo = TrainingRecipe(framework: .nemo)
        let a = try Self.gb200Layer(windowed, nemo), b = try Self.gb200Layer(full, nemo)
        #expect(abs((b.forward - a.forward) / ((Self.fullForward - Self.bandForward) / 2) - 1) < 1e-9)
        #expect(abs((b.backward - a.backward) / ((Self.fullBackward - 2.5 * Self.bandForward) / 2) - 1) < 1e-9)
        // FlashAttention-2 (torchtitan's kernel) has no measured band rate: the band at the full
        // kernel's rate, reached as GB200's shortest measured causal loop reaches it (1097 of 1622).
        let titan = TrainingRecipe(framework: .torchtitan)
        let c = try Self.gb200Layer(windowed, titan), d = try Self.gb200Layer(full, titan)
        let titanBand = 2 * 64 * 4096 * 128 * 128 / (2500e12 * 0.527 * 1097 / 1622)
        #expect(abs((d.forward - c.forward) / ((Self.fullForward - titanBand) / 2) - 1) < 1e-9)
    }

    /// FP8 attention's backward computes the whole causal core on a windowed layer (cuDNN's FP8
    /// band backward grows with the square of the sequence): the windowed layers' backward is the
    /// full layers', their forward still the band's.
    @Test func fp8AttentionBackwardDoesNotSkipTheBand() throws {
        let (windowed, full) = try Self.windowedAndFull()
        var fp8 = TrainingRecipe(framework: .nemo)
        fp8.fp8Attention = true
        let a = try Self.gb200Layer(windowed, fp8), b = try Self.gb200Layer(full, fp8)
        #expect(abs(b.backward - a.backward) < 1e-15)
        #expect(abs((b.forward - a.forward) / ((Self.fullForward - Self.bandForward) / 2) - 1) < 1e-9)
        #expect(try Self.gb200Layer(full, fp8) == (try Self.gb200Layer(full, TrainingRecipe(framework: .nemo))))
    }

    /// Eager attention materialises and masks the full scores: no saving.
    @Test func eagerAttentionComputesEverything() throws {
        let windowed = try ModelCatalog.preset(named: "gpt-oss-20b")
        var full = windowed
        full.attentionWindow = nil
        #expect(try layer(windowed, flash: false) == (try layer(full, flash: false)))
    }
}

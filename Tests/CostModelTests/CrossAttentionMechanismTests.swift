import CostModel
import Testing
import Workloads

/// The mechanisms an encoder-decoder model adds, on T5-3B (Raffel et al. 2020; Hugging Face
/// `t5-3b` config: d_model 1,024, 32 heads of d_kv 128, so Q, K, V and the attention output are
/// 4,096 wide; 24 encoder and 24 decoder layers), against hand calculations: the cross-attention
/// block's time (`DecoderLayerTime`), its stored activations (`DecoderActivationMemory`) and the
/// pipeline's split of the two stacks (`StageLayers`).
@Suite struct CrossAttentionMechanismTests {
    let model: TransformerModel
    let h = 1024.0, width = 4096.0

    init() throws { model = try ModelCatalog.preset(named: "t5-3b") }


    /// TP 2, micro-batch 4, S = 512 input and T = 128 target tokens: Q (bT x h -> 4,096 / 2),
    /// K and V (bS x h -> 2 x 4,096 / 2, over the encoder's output) and the output projection
    /// (bT x 4,096 / 2 -> h). The backward all-reduces the gradient reaching the decoder's
    /// hidden state (bT x h) and the one reaching the encoder's output through the column-parallel
    /// K/V projections (bS x h), both bf16 over NVLink (Megatron's f operator, Shoeybi et al.
    /// 2019, section 3); the forward all-reduces the block's output (bT x h).
    @Test func crossAttentionGEMMsAndAllReduces() {
        let layout = ParallelLayout(tp: 2, microBatch: 4, globalBatch: 4, seq: 512, targetSeq: 128)
        let cluster = dgxA100()
        let block = DecoderLayerTime.crossAttention(geometry: LayerGeometry(model: model), layout: layout,
                                                    recipe: TrainingRecipe().resolved, cluster: cluster,
                                                    placement: RankPlacement(layout: layout, gpusPerNode: 8))
        let target = 4.0 * 128, input = 4.0 * 512
        let gemms = gemmByHand(m: target, n: width / 2, k: h) + gemmByHand(m: input, n: 2 * width / 2, k: h)
            + gemmByHand(m: target, n: h, k: width / 2)
        #expect(near(block.linearForward, gemms), "\(block.linearForward) vs \(gemms)")
        let decoderSide = NVLinkByHand.allReduce(target * h * 2, ranks: 2)
        let encoderSide = NVLinkByHand.allReduce(input * h * 2, ranks: 2)
        #expect(near(block.tpCommForward, decoderSide))
        #expect(near(block.tpCommBackward, decoderSide + encoderSide), "\(block.tpCommBackward)")
    }

    /// Stored bytes as a function of the input length S with T fixed: the self-attention part
    /// and the target-side tensors do not move, so going from S = 512 to 1,024 (micro-batch 2,
    /// 3 micro-batches in flight, 24 decoder layers, TP 1, bf16) adds, per extra input token,
    /// each layer's cross K and V (2 x 2 x 4,096 bytes) and the encoder output kept once
    /// (2 x 1,024); without flash attention also, per target token and layer, the cross scores'
    /// softmax output, dropout mask and dropout output (2 + 1 + 2 bytes x 32 heads) per extra key
    /// (Korthikanti et al. 2022, section 4.1, on the cross block's shapes).
    @Test func crossAttentionStoresKeysValuesAndScoresPerInputToken() {
        func bytes(seq: Int, flash: Bool) -> Double {
            DecoderActivationMemory.bytes(decoderLayers: 24, geometry: LayerGeometry(model: model),
                                          layout: ParallelLayout(microBatch: 2, globalBatch: 2, seq: seq, targetSeq: 128),
                                          recipe: TrainingRecipe(flashAttention: flash), layerMicroBatches: 3)
        }
        let extraInputTokens = 2.0 * 512
        let perInputToken: Double = 24 * 2 * 2 * width + 2 * h
        let keysValues: Double = 3 * extraInputTokens * perInputToken
        #expect(near(bytes(seq: 1024, flash: true) - bytes(seq: 512, flash: true), keysValues))
        let targetTokens: Double = 2 * 128
        let scoreBytes: Double = (2 + 1 + 2) * 32 * 512
        let scores: Double = 3 * 24 * targetTokens * scoreBytes
        #expect(near(bytes(seq: 1024, flash: false) - bytes(seq: 512, flash: false), keysValues + scores))
    }

    /// Four stages over T5-3B's 48 layers hold 12 each: the encoder's 24 end exactly with stage 1,
    /// which holds the encoder's final norm; stage 2 starts the decoder (its position-bias table).
    @Test func stagesSplitTheStacksAtTheirBoundary() {
        let g = LayerGeometry(model: model)
        let layout = ParallelLayout(pp: 4)
        let stages = (0..<4).map { StageLayers(stage: $0, geometry: g, model: model, layout: layout) }
        #expect(stages.map(\.encoder) == [12, 12, 0, 0])
        #expect(stages.map(\.decoder) == [0, 0, 12, 12])
        #expect(stages.map(\.holdsEncoderEnd) == [false, true, false, false])
        #expect(stages.map(\.holdsDecoderStart) == [false, false, true, false])
    }
}

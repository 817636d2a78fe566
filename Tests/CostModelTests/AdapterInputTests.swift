import CostModel
import Testing
import Workloads

/// Adapter dropout and bitsandbytes' saved inputs (`FineTuneMemory`), on Llama 3.1 8B (h 4,096,
/// 32 heads of 128, MLP 14,336), one GPU, one 2,048-token micro-batch in bf16, 32 layers, no
/// recomputation, against hand counts of what autograd keeps.
@Suite struct AdapterInputTests {
    let model: TransformerModel
    init() throws { model = try ModelCatalog.preset(named: "llama-3.1-8b") }

    func bytes(method: FinetuneMethod = .lora, _ targets: [LoRATarget], dropout: Double? = nil,
               keepsInputs: Bool? = nil, fusedQKV: Bool? = nil, recompute: Recompute = .none) -> Double {
        var recipe = TrainingRecipe(recompute: recompute)
        recipe.fineTuning = FineTuning(method: method, rank: 8, targets: targets, dropout: dropout)
        recipe.quantisedLinearsKeepInputs = keepsInputs
        recipe.fusedQKVAdapter = fusedQKV
        return FineTuneMemory.activationParts(stage: 0, geometry: LayerGeometry(model: model), model: model,
                                              layout: ParallelLayout(microBatch: 1, globalBatch: 1, seq: 2048),
                                              recipe: recipe).saved
    }

    /// q and v with dropout 0.05: each adapter keeps its bool mask (1 byte) and its dropped bf16
    /// input (2 bytes) of width 4,096, and nothing keeps the shared input x any more (2 bytes):
    /// (2 x 3 - 2) x 4,096 = 16,384 bytes a token and layer, x 2,048 tokens x 32 layers =
    /// 1,073,741,824 bytes. Every linear layer: q, k, v, gate, up at 4,096, o at 4,096, down at
    /// 14,336: 3 x (6 x 4,096 + 14,336) - 2 x (3 x 4,096 + 14,336) = 63,488 bytes a token.
    @Test func dropoutKeepsAMaskAndACopyPerAdapter() {
        #expect(bytes([.q, .v], dropout: 0.05) - bytes([.q, .v]) == 16_384 * 2048 * 32)
        #expect(bytes(LoRATarget.allLinear, dropout: 0.1) - bytes(LoRATarget.allLinear) == 63_488 * 2048 * 32)
        #expect(bytes([.q, .v], dropout: 0) == bytes([.q, .v]))
    }

    /// One adapter on a fused Q/K/V linear (LitGPT's LoRAQKVLinear) drops out its input once: q
    /// and v at 0.05 keep one mask and one copy, (1 + 2) x 4,096, less the shared x (2 x 4,096) =
    /// 4,096 bytes a token and layer; every linear layer: 63,488 - 2 x 3 x 4,096 = 38,912.
    @Test func aFusedQKVAdapterDropsOutOnce() {
        #expect(bytes([.q, .v], dropout: 0.05, fusedQKV: true) - bytes([.q, .v]) == 4_096 * 2048 * 32)
        #expect(bytes(LoRATarget.allLinear, dropout: 0.1, fusedQKV: true) - bytes(LoRATarget.allLinear) == 38_912 * 2048 * 32)
        #expect(bytes([.o], dropout: 0.05, fusedQKV: true) == bytes([.o], dropout: 0.05))
    }

    /// Under full recomputation only the recomputed layer's adapters hold them: 16,384 x 2,048.
    @Test func recomputationKeepsOneLayers() {
        #expect(bytes([.q, .v], dropout: 0.05, recompute: .full) == 16_384 * 2048)
    }

    /// bitsandbytes' 4-bit linears keep their inputs though frozen: QLoRA on q and v keeps the
    /// o, gate/up and down inputs a frozen nn.Linear drops, 2 x (4,096 + 4,096 + 14,336) =
    /// 45,056 bytes a token and layer; LoRA is unchanged.
    @Test func bitsandbytesKeepsFrozenInputs() {
        #expect(bytes(method: .qlora, [.q, .v], keepsInputs: true) - bytes(method: .qlora, [.q, .v]) == 45_056 * 2048 * 32)
        #expect(bytes(method: .lora, [.q, .v], keepsInputs: true) == bytes(method: .lora, [.q, .v]))
    }

    /// With dropout as well, the 4-bit linear still keeps the undropped x beside each adapter's
    /// dropped copy, so the shared input the LoRA count drops stays: on every linear layer,
    /// 2 x (4,096 (q, k, v) + 4,096 (o) + 4,096 (gate, up) + 14,336 (down)) = 53,248 bytes a token
    /// and layer more than bitsandbytes' frozen inputs alone would add.
    @Test func bitsandbytesKeepsTheUndroppedInput() {
        let all = LoRATarget.allLinear
        let dropped = bytes(method: .qlora, all, dropout: 0.05, keepsInputs: true) - bytes(method: .qlora, all, keepsInputs: true)
        #expect(dropped == (63_488 + 53_248) * 2048 * 32)
        // Under full recomputation, the one recomputed layer's.
        #expect(bytes(method: .qlora, all, dropout: 0.05, keepsInputs: true, recompute: .full)
            == (63_488 + 53_248) * 2048)
    }
}

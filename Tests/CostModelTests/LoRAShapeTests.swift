import CostModel
import Testing
import Workloads

/// The adapters LoRA adds (`LoRAGeometry`) and the module names it accepts (`LoRATarget.parse`).
@Suite struct LoRAShapeTests {
    /// Rank-8 adapters on every linear of Llama 3.1 8B's 32 layers, r (in + out) each (Hu et al.
    /// 2021, section 4.1), with the widths of Dubey et al. 2024, Table 3:
    /// q and o 8 x (4,096 + 4,096) = 65,536; k and v 8 x (4,096 + 1,024) = 40,960 (8 K/V heads of
    /// 128); gate, up and down 8 x (4,096 + 14,336) = 147,456. 655,360 a layer, 20,971,520 in all.
    @Test func allLinearRank8OnLlama8B() throws {
        let model = try ModelCatalog.preset(named: "llama-3.1-8b")
        let lora = LoRAGeometry(geometry: LayerGeometry(model: model),
                                fineTuning: FineTuning(method: .lora, rank: 8, targets: LoRATarget.allLinear))
        let perLayer: Double = 2 * 65_536 + 2 * 40_960 + 3 * 147_456
        #expect(perLayer == 655_360)
        #expect(lora.parameters(dense: 32, moe: 0, decoder: 0, layout: ParallelLayout()) == 20_971_520)
        // Split by TP 4 like the layers they adapt.
        #expect(lora.parameters(dense: 32, moe: 0, decoder: 0, layout: ParallelLayout(tp: 4)) == 20_971_520 / 4)
    }

    /// The MLP names of Meta's reference Llama (`FeedForward.forward`: `w2(silu(w1(x)) * w3(x))`,
    /// so w1 is the gate, w3 the up and w2 the down projection) and of GPT-2/OPT-style MLPs
    /// (`fc1` into the hidden width, `fc2` out of it).
    @Test func referenceModuleNames() {
        #expect(LoRATarget.parse("w1,w2,w3") == [.gate, .up, .down])
        #expect(LoRATarget.parse("w2") == [.down])
        #expect(LoRATarget.parse("fc1,fc2") == [.up, .down])
        #expect(LoRATarget.parse("out_proj") == [.o])
    }
}

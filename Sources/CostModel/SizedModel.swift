import Foundation
import Workloads

/// The Loom model `loom size` plans for a parameter count: the Llama 3 shape family (SwiGLU,
/// RMSNorm, rotary, grouped-query attention, untied embeddings) with the proportions of
/// `CostModelConstants.sizing*`: head dimension 128, heads a multiple of the 8 KV heads (so the
/// hidden size is a multiple of 1,024 and TP 8 divides the heads), FFN = 3.5 x hidden, vocabulary
/// 128,256. For each such hidden size the layer count that brings the exact parameter count
/// nearest the target; of those, the shape whose width over depth is nearest 128 (Llama 3 8B's
/// 4,096 / 32). Llama 3.1 8B's own shape (hidden 4,096, 32 layers, 8.03B) comes out for 8.03e9.
public enum SizedModel {
    public static func llamaShaped(parameters target: Double) -> TransformerModel {
        let step = CostModelConstants.sizingHeadDimension * CostModelConstants.sizingKVHeads
        let aspect = Double(CostModelConstants.sizingAspectRatio)
        var best: (model: TransformerModel, distance: Double)?
        var hidden = step
        while true {
            let one = Double(member(hidden: hidden, layers: 1).totalParameters)
            let perLayer = Double(member(hidden: hidden, layers: 2).totalParameters) - one
            let layers = max(Int(((target - (one - perLayer)) / perLayer).rounded()), 1)
            let model = member(hidden: hidden, layers: layers)
            let distance = abs(log(Double(hidden) / Double(layers) / aspect))
            if best == nil || distance < best!.distance { best = (model, distance) }
            // Wider shapes only get flatter once the width alone passes the aspect ratio.
            if Double(hidden) / Double(layers) > aspect || hidden >= 1 << 20 { return best!.model }
            hidden += step
        }
    }

    /// The family's shape at a stated depth and width (a source that gives the layers and the
    /// hidden size but no architecture): heads of 128 (of 64 when the width is not a multiple of
    /// 128), 8 KV heads when they divide the heads, else one per head, and the FFN width that
    /// brings the exact count nearest `target` (a multiple of 64, at least the hidden size), over
    /// Llama 3's vocabulary, or Llama 2's 32,000 when the larger table leaves the MLP narrower
    /// than the hidden size. nil when the width has no whole head of 64.
    public static func llamaShaped(parameters target: Double, layers: Int, hidden: Int) -> TransformerModel? {
        guard layers > 0, hidden >= 64, hidden % 64 == 0, target.isFinite, target > 0 else { return nil }
        let headDim = hidden % CostModelConstants.sizingHeadDimension == 0 ? CostModelConstants.sizingHeadDimension : 64
        let heads = hidden / headDim
        let kvHeads = heads % CostModelConstants.sizingKVHeads == 0 ? CostModelConstants.sizingKVHeads : heads
        func model(ffn: Int, vocab: Int) -> TransformerModel {
            TransformerModel(name: "sized-\(layers)x\(hidden)", layers: layers, hidden: hidden, heads: heads,
                             kvHeads: kvHeads, ffn: ffn, mlp: .swiglu, vocab: vocab,
                             maxSeq: CostModelConstants.defaultSequenceCap)
        }
        func fitted(vocab: Int) -> (model: TransformerModel, narrow: Bool) {
            // The count is linear in the FFN width: 3 h x layers per unit.
            let base = Double(model(ffn: hidden, vocab: vocab).totalParameters)
            let perUnit = 3 * Double(hidden) * Double(layers)
            let width = Double(hidden) + (target - base) / perUnit
            let ffn = Int((width / 64).rounded()) * 64
            return (model(ffn: max(ffn, hidden), vocab: vocab), ffn < hidden)
        }
        let llama3 = fitted(vocab: CostModelConstants.sizingVocabulary)
        return llama3.narrow ? fitted(vocab: 32_000).model : llama3.model
    }

    /// The family's model of `hidden` width and `layers` layers.
    public static func member(hidden: Int, layers: Int) -> TransformerModel {
        let heads = hidden / CostModelConstants.sizingHeadDimension
        return TransformerModel(
            name: "sized-\(layers)x\(hidden)", layers: layers, hidden: hidden, heads: heads,
            kvHeads: CostModelConstants.sizingKVHeads,
            ffn: Int((CostModelConstants.sizingFFNRatio * Double(hidden)).rounded()), mlp: .swiglu,
            vocab: CostModelConstants.sizingVocabulary, maxSeq: CostModelConstants.defaultSequenceCap)
    }
}

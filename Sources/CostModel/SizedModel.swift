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

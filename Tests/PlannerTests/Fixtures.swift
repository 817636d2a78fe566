import CostModel
import Hardware
import Workloads

/// A Megatron GPT model of Narayanan et al. 2021 Table 1: learned positions, LayerNorm, biases,
/// GELU with ffn = 4h, vocabulary 51,200, untied output layer.
func megatronGPT(layers: Int, hidden: Int, heads: Int, seq: Int = 2048, vocab: Int = 51200) -> TransformerModel {
    TransformerModel(name: "gpt-\(layers)x\(hidden)", layers: layers, hidden: hidden, heads: heads,
                     ffn: 4 * hidden, mlp: .gelu, vocab: vocab, maxSeq: seq, tiedEmbeddings: false,
                     qkvBias: true, linearBias: true, norm: .layernorm, position: .learned)
}

/// A topology from `Topologies/` by name.
func cluster(_ name: String = "dgx-a100-80gb") -> ClusterTopology {
    do {
        return try TopologyCatalog.load(name)
    } catch {
        fatalError("Topologies/\(name).yaml must load: \(error)")
    }
}

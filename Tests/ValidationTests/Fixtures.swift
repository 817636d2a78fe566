import CostModel
import Foundation
import Hardware
import Workloads

/// A Megatron GPT model of Narayanan et al. 2021 Table 1 / Korthikanti et al. 2022 Table 3:
/// learned positions, LayerNorm, biases, GELU with ffn = 4h, vocabulary 51,200, untied output layer.
func megatronGPT(layers: Int, hidden: Int, heads: Int, seq: Int = 2048, vocab: Int = 51200) -> TransformerModel {
    TransformerModel(name: "gpt-\(layers)x\(hidden)", layers: layers, hidden: hidden, heads: heads,
                     ffn: 4 * hidden, mlp: .gelu, vocab: vocab, maxSeq: seq, tiedEmbeddings: false,
                     qkvBias: true, linearBias: true, norm: .layernorm, position: .learned)
}

/// DGX A100 80GB from `Topologies/` (datasheet and microbenchmark numbers, sourced there).
func testCluster() -> ClusterTopology {
    do {
        return try TopologyCatalog.load("dgx-a100-80gb")
    } catch {
        fatalError("Topologies/dgx-a100-80gb.yaml must load: \(error)")
    }
}

/// A file of the repository's `Validation/` directory.
func validationFile(_ name: String) -> String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Validation").appendingPathComponent(name).path
}

/// Writes `text` to a fresh temporary file and returns its path.
func temporaryFile(_ text: String) throws -> String {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("loom-runs-\(UUID().uuidString).json")
    try Data(text.utf8).write(to: url)
    return url.path
}

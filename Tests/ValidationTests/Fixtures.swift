import CostModel
import Hardware
import Workloads

/// A Megatron GPT model of Narayanan et al. 2021 Table 1 / Korthikanti et al. 2022 Table 3:
/// learned positions, LayerNorm, biases, GELU with ffn = 4h, vocabulary 51,200, untied output layer.
func megatronGPT(layers: Int, hidden: Int, heads: Int, seq: Int = 2048, vocab: Int = 51200) -> TransformerModel {
    TransformerModel(name: "gpt-\(layers)x\(hidden)", layers: layers, hidden: hidden, heads: heads,
                     ffn: 4 * hidden, mlp: .gelu, vocab: vocab, maxSeq: seq, tiedEmbeddings: false,
                     qkvBias: true, linearBias: true, norm: .layernorm, position: .learned)
}

/// DGX A100 80GB as the datasheets state it (until the topology loader lands in this branch).
func testCluster() -> ClusterTopology {
    ClusterTopology(
        name: "dgx-a100-80gb", description: "test",
        accelerator: Accelerator(name: "A100-SXM4-80GB", peakTFLOPS: PeakThroughput(fp32: 19.5, tf32: 156, bf16: 312, fp8: 0),
                                 memoryGiB: 80, memoryBandwidthGBps: 2039, matmulEfficiency: 0.87,
                                 matmulHalfEfficiencyDim: 64, memoryBandwidthEfficiency: 0.85, reservedMemoryGiB: 1),
        node: NodeSpec(accelerators: 8, scaleUp: NetworkTier(name: "NVLink3", bandwidthGBps: 300, latencyUs: 3,
                                                             busEfficiency: 0.77, topology: "nvswitch")),
        scaleOut: NetworkTier(name: "HDR IB", bandwidthGBps: 25, latencyUs: 5, busEfficiency: 0.9,
                              topology: "rail-optimized-fat-tree"))
}

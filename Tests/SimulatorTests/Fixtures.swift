import CostModel
import Hardware
import Workloads

/// A Megatron GPT model of Narayanan et al. 2021 Table 1: learned positions, LayerNorm, biases,
/// GELU with ffn = 4h, untied output layer.
func megatronGPT(layers: Int, hidden: Int, heads: Int, seq: Int = 2048, vocab: Int = 51200) -> TransformerModel {
    TransformerModel(name: "gpt-\(layers)x\(hidden)", layers: layers, hidden: hidden, heads: heads,
                     ffn: 4 * hidden, mlp: .gelu, vocab: vocab, maxSeq: seq, tiedEmbeddings: false,
                     qkvBias: true, linearBias: true, norm: .layernorm, position: .learned)
}

/// GPT-3 175B (Brown et al. 2020): 96 layers, hidden 12288, 96 heads.
func gpt3() -> TransformerModel { megatronGPT(layers: 96, hidden: 12288, heads: 96) }

/// DGX A100 80GB from `Topologies/`.
func dgxA100() throws -> ClusterTopology { try TopologyCatalog.load("dgx-a100-80gb") }

/// A layout with `m` micro-batches of one sequence per replica, and its Megatron-LM recipe
/// (no DP/TP overlap, no flash attention).
func megatronLayout(tp: Int, pp: Int, dp: Int = 1, vpp: Int = 1, m: Int, recompute: Recompute = .full,
                    schedule: PipelineScheduleKind = .oneForwardOneBackward,
                    framework: Framework = .megatronLM) -> (layout: ParallelLayout, recipe: TrainingRecipe) {
    (ParallelLayout(tp: tp, pp: pp, dp: dp, vpp: vpp, microBatch: 1, globalBatch: m * dp, seq: 2048, schedule: schedule),
     TrainingRecipe(framework: framework, recompute: recompute))
}

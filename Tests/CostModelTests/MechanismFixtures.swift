import CostModel
import Hardware
import Workloads

/// The DGX A100 numbers the mechanism tests' hand calculations use, copied from the datasheets
/// that `Topologies/dgx-a100-80gb.yaml` cites (`a100NumbersMatchTheTopologyFile` checks the file
/// still says so, so a changed datasheet value fails there, not in a formula test).
enum A100 {
    /// Dense bf16 tensor-core peak, FLOP/s (A100 datasheet).
    static let peak = 312e12
    /// Best GEMM / peak (MAMF table) and the shape half-efficiency dimension (cuBLAS sweep fit).
    static let matmulEfficiency = 0.87
    static let halfEfficiencyDim = 170.0
    /// Achievable HBM bytes/s: 2,039 GB/s x STREAM-like 0.83.
    static let hbm = 2039e9 * 0.83
    /// Fused attention kernels' share of peak (FlashAttention-2 paper, weighted 1:2.5).
    static let attentionEfficiency = 0.60
    /// NVLink3 bus bandwidth (300 GB/s x nccl-tests 0.77) and ring-hop latency.
    static let nvlink = 300e9 * 0.77
    static let nvlinkHop = 1e-6
    /// One HDR NIC per GPU (25 GB/s x 0.96) and the network ring-hop latency.
    static let nic = 25e9 * 0.96
    static let nicHop = 4e-6
    /// Runtime context reserved per GPU, bytes.
    static let reserved = 1.0 * 1_073_741_824
}

/// Seconds to stream `bytes` through the A100's HBM.
func hbmSeconds(_ bytes: Double) -> Double { bytes / A100.hbm }

/// Exposed seconds of `seconds` of communication hidden behind `window` of compute, written out:
/// what does not fit, plus 10% of what does (overlapped GEMMs slow down 10-20%: Jangda et al.
/// 2022, CoCoNet section 6; Chang et al. 2024, FLUX section 2; the low end).
func exposedByHand(_ seconds: Double, window: Double) -> Double {
    let hidden = min(seconds, window)
    return (seconds - hidden) + 0.1 * hidden
}

/// One 16-bit GEMM on the A100, the roofline of `MatmulTime` written out (as checked by
/// `MechanismTimeTests.gemmRoofline`): 2mnk FLOPs at peak x 0.87 x prod d/(d + 170), or its
/// 2-byte operands and output through HBM, whichever is longer.
func gemmByHand(m: Double, n: Double, k: Double) -> Double {
    let shape = m / (m + A100.halfEfficiencyDim) * n / (n + A100.halfEfficiencyDim) * k / (k + A100.halfEfficiencyDim)
    let compute = 2 * m * n * k / (A100.peak * A100.matmulEfficiency * shape)
    let memory = (2 * (m * k + k * n) + 2 * m * n) / A100.hbm
    return max(compute, memory)
}

/// Ring/tree collectives inside one DGX A100 (NVLink), nccl-tests bus factors (Thakur et al.
/// 2005): all-reduce 2(n-1)/n bytes over min(2(n-1), 2 log2 n) hops, all-gather and
/// reduce-scatter (n-1)/n over n-1 hops, all-to-all (n-1)/n over n-1 hops.
enum NVLinkByHand {
    static func allReduce(_ bytes: Double, ranks n: Double) -> Double {
        min(2 * (n - 1), 2 * n.log2Rounded) * A100.nvlinkHop + 2 * (n - 1) / n * bytes / A100.nvlink
    }
    /// `calls` collectives moving `bytes` in all (ZeRO-3 / FSDP: one per unit), each paying its
    /// n - 1 hops.
    static func allGather(_ bytes: Double, ranks n: Double, calls: Double = 1) -> Double {
        calls * (n - 1) * A100.nvlinkHop + (n - 1) / n * bytes / A100.nvlink
    }
    static func reduceScatter(_ bytes: Double, ranks n: Double, calls: Double = 1) -> Double {
        allGather(bytes, ranks: n, calls: calls)
    }
    static func allToAll(_ bytes: Double, ranks n: Double) -> Double { allGather(bytes, ranks: n) }
}

extension Double {
    /// log2 of a power of two.
    var log2Rounded: Double {
        var steps = 0.0, reach = 1.0
        while reach < self { reach *= 2; steps += 1 }
        return steps
    }
}

/// Relative closeness for the hand calculations (they differ from the code only by rounding).
func near(_ a: Double, _ b: Double, _ tolerance: Double = 1e-9) -> Bool {
    abs(a - b) <= tolerance * max(abs(a), abs(b), 1e-300)
}

/// A Llama-3-8B-shaped dense layer stack: RMSNorm, SwiGLU (ffn 14,336), GQA 32/8 heads, rotary.
func llamaShaped(layers: Int = 2) -> TransformerModel {
    TransformerModel(name: "llama-shaped", layers: layers, hidden: 4096, heads: 32, kvHeads: 8, ffn: 14336,
                     mlp: .swiglu, vocab: 128_256, maxSeq: 8192)
}

/// A Mixtral-shaped MoE stack: 8 experts of ffn 14,336, top-2, GQA 32/8, vocabulary 32,000.
func mixtralShaped(layers: Int = 2) -> TransformerModel {
    TransformerModel(name: "mixtral-shaped", layers: layers, hidden: 4096, heads: 32, kvHeads: 8, ffn: 14336,
                     mlp: .swiglu, vocab: 32000, maxSeq: 4096,
                     moe: MoEConfig(experts: 8, expertsPerToken: 2, expertFFN: 14336))
}

/// A GPT with tied input and output embeddings (GPT-2 style), LayerNorm, GELU, learned positions.
func tiedGPT(layers: Int = 4, hidden: Int = 1024, heads: Int = 16, vocab: Int = 50304) -> TransformerModel {
    TransformerModel(name: "tied-gpt", layers: layers, hidden: hidden, heads: heads, ffn: 4 * hidden, mlp: .gelu,
                     vocab: vocab, maxSeq: 2048, tiedEmbeddings: true, qkvBias: true, linearBias: true,
                     norm: .layernorm, position: .learned)
}

/// One layer's time under `layout` and `recipe` on a DGX A100 cluster.
func layerTime(_ model: TransformerModel, _ layout: ParallelLayout, _ recipe: TrainingRecipe, moe: Bool = false) -> LayerTime {
    let cluster = dgxA100()
    let placement = RankPlacement(layout: layout, gpusPerNode: cluster.acceleratorsPerNode)
    return LayerTimeModel.layer(geometry: LayerGeometry(model: model), moe: moe, layout: layout, recipe: recipe.resolved,
                                cluster: cluster, placement: placement)
}

/// Stage `stage`'s time for one micro-batch under `layout` and `recipe` on a DGX A100 cluster.
func stageTime(_ stage: Int, _ model: TransformerModel, _ layout: ParallelLayout, _ recipe: TrainingRecipe) -> StageTime {
    let cluster = dgxA100()
    let recipe = recipe.resolved
    let placement = RankPlacement(layout: layout, gpusPerNode: cluster.acceleratorsPerNode)
    let g = LayerGeometry(model: model)
    let layers = LayerTimeModel.layers(geometry: g, layout: layout, recipe: recipe, cluster: cluster, placement: placement)
    return StageTimeModel.stage(stage, dense: layers.dense, moe: layers.moe, geometry: g, model: model, cluster: cluster,
                                layout: layout, recipe: recipe, placement: placement)
}

/// Parameters of one Megatron GPT layer (Narayanan et al. 2021, section 5.1): QKV, output
/// projection and the two MLP matrices 12h^2, their biases 9h, two LayerNorms 4h.
func gptLayerParameters(hidden h: Double) -> Double { 12 * h * h + 13 * h }

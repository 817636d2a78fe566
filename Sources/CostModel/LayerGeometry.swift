import Workloads

/// The widths of one transformer layer that the cost model multiplies with tokens: projection
/// widths, MLP widths and the per-layer parameter counts of the stage-sharded weights, the
/// latter read from Workloads' `WeightCount` (the counts `loom describe` prints), split into
/// what TP shards (matrices) and what every TP rank keeps (norms, attention biases).
/// Derived once per model; all values are exact element counts.
public struct LayerGeometry: Sendable, Hashable {
    /// Width of the query projection output (heads x q/k head dim).
    public var queryWidth: Double
    /// Width of one of K or V projections' output (kv heads x head dim); for MLA the
    /// up-projected per-head keys.
    public var keyWidth: Double
    public var valueWidth: Double
    /// Head dimension used in QK^T, and in attention x V.
    public var qkHeadDim: Double
    public var vHeadDim: Double
    public var hidden: Double
    public var heads: Double
    /// Dense MLP intermediate width and matrices (2 or 3).
    public var ffn: Double
    public var mlpMatrices: Double
    /// Weight matrix elements of the attention block of one layer (incl. MLA low-rank parts).
    public var attentionWeights: Double
    /// Weight matrix elements of a dense MLP, and its biases (kept whole on every TP rank).
    public var denseMLPWeights: Double
    public var denseMLPVectors: Double
    /// Parameters of one routed expert and of the shared experts (with Qwen2-MoE's gate),
    /// biases included.
    public var expertWeights: Double
    public var sharedExpertWeights: Double
    /// Router parameters (experts x hidden, plus DeepSeek-V3's per-expert bias).
    public var routerWeights: Double
    /// Norm weights and attention biases (and MLA's low-rank norms) of one layer: not split by
    /// TP in Megatron.
    public var layerVectorParameters: Double
    /// Number of MoE layers and dense layers.
    public var moeLayers: Int
    public var denseLayers: Int
    public var experts: Double
    public var expertsPerToken: Double
    public var expertFFN: Double
    public var sharedExpertFFN: Double
    public var vocab: Double
    /// Learned position table rows x hidden (0 for rotary/ALiBi).
    public var positionEmbeddingElements: Double
    public var tiedEmbeddings: Bool
    /// The norm and position kinds, which decide the memory-bound kernels (`KernelTraffic`).
    public var norm: NormKind
    public var rotary: Bool
    /// Attention and MLP side by side on the same normalised input (PaLM, GPT-J).
    public var parallelBlock: Bool
    /// Attention and MLP read one normalised input (a parallel block with one norm: GPT-J,
    /// Phi-2), one tensor for both blocks' input projections.
    public var sharedBlockInput: Bool
    /// Per-head norms on Q and K, and on V (`ArchitectureDetails.qkNorm`, `valueNorm`).
    public var qkNorm: Bool
    public var valueNorm: Bool
    /// Encoder and decoder stacks, attention mask and the parameters outside the layers.
    public var stacks = StackGeometry()
    /// Multi-head latent attention's low-rank projections (DeepSeek-V2/V3, Kimi K2), nil for
    /// full-rank Q, K and V.
    public var latent: LatentAttention?
    /// Sliding-window attention (GPT-OSS): keys a windowed layer's query sees at most, and the
    /// share of the layers that use the window (0 when none does).
    public var attentionWindow: Double = 0
    public var windowedLayerFraction: Double = 0
    /// The routed experts' output projection has a bias (GPT-OSS `down_proj_bias`), which
    /// Megatron-Core adds after the grouped GEMM, weighted by the router probabilities
    /// (`ExpertBiasTraffic`).
    public var expertOutputBias = false
    /// The factor YaRN scales the rotary cosines and sines by (`ArchitectureDetails.ropeAttentionFactor`;
    /// 1 = plain RoPE), which Megatron-Core's fused RoPE does not take (`UnfusedRotaryTraffic`).
    public var ropeAttentionFactor: Double = 1
    /// The experts' gated inputs are clamped before the activation (GPT-OSS `swiglu_limit`),
    /// which Megatron-Core does outside its fused activation (`ClampedGLUTraffic`).
    public var clampedGLU = false

    /// MLA's ranks (DeepSeek-AI 2024, DeepSeek-V3 report, section 2.1.1): queries through a
    /// `queryRank` latent (0: projected directly), keys and values through a `keyValueRank`
    /// latent plus a shared `ropeHeadDim`-wide rotary key; per head `nopeHeadDim` of the key
    /// (and the value) come from the latent.
    public struct LatentAttention: Sendable, Hashable {
        public var queryRank: Double
        public var keyValueRank: Double
        public var ropeHeadDim: Double
        public var nopeHeadDim: Double
    }

    public init(model: TransformerModel) {
        norm = model.norm
        rotary = model.position == .rotary
        parallelBlock = model.parallelBlock
        sharedBlockInput = model.parallelBlock && model.details.normsPerBlock == 1
        qkNorm = model.details.qkNorm
        valueNorm = model.details.valueNorm
        let h = Double(model.hidden)
        hidden = h
        heads = Double(model.heads)
        vocab = Double(model.vocab)
        tiedEmbeddings = model.tiedEmbeddings
        if let mla = model.mla {
            let a = Double(model.heads)
            qkHeadDim = Double(mla.qkNopeHeadDim + mla.qkRopeHeadDim)
            vHeadDim = Double(mla.vHeadDim)
            queryWidth = a * qkHeadDim
            keyWidth = a * qkHeadDim
            valueWidth = a * vHeadDim
            latent = LatentAttention(queryRank: Double(mla.qLoraRank), keyValueRank: Double(mla.kvLoraRank),
                                     ropeHeadDim: Double(mla.qkRopeHeadDim), nopeHeadDim: Double(mla.qkNopeHeadDim))
        } else {
            qkHeadDim = Double(model.headDim)
            vHeadDim = Double(model.headDim)
            queryWidth = Double(model.heads * model.headDim)
            keyWidth = Double(model.kvHeads * model.headDim)
            valueWidth = keyWidth
        }
        let counts = model.parameterCount
        let attention = model.attentionWeights
        attentionWeights = Double(attention.matrices)
        layerVectorParameters = Double(counts.normsPerLayer) + Double(attention.vectors)
        ffn = Double(model.ffn)
        mlpMatrices = Double(model.mlp.matrices)
        let denseMLP = model.mlpWeights(ffn: model.ffn)
        denseMLPWeights = Double(denseMLP.matrices)
        denseMLPVectors = Double(denseMLP.vectors)
        if let moe = model.moe {
            experts = Double(moe.experts)
            expertsPerToken = Double(moe.expertsPerToken)
            expertFFN = Double(moe.expertFFN)
            sharedExpertFFN = Double(moe.sharedExperts * moe.sharedExpertFFN)
            expertWeights = Double(counts.routedExpert)
            sharedExpertWeights = Double(counts.sharedExpertsPerLayer)
            routerWeights = Double(counts.routerPerLayer)
            expertOutputBias = model.mlpHasBias
            let sparseCandidates = max(model.layers - moe.denseLayers, 0)
            let frequency = max(moe.layerFrequency, 1)
            moeLayers = sparseCandidates / frequency
            denseLayers = model.layers - moeLayers
        } else {
            experts = 0
            expertsPerToken = 0
            expertFFN = 0
            sharedExpertFFN = 0
            expertWeights = 0
            sharedExpertWeights = 0
            routerWeights = 0
            moeLayers = 0
            denseLayers = model.layers
        }
        stacks = StackGeometry(model: model)
        if let window = model.attentionWindow, model.layers > 0 {
            attentionWindow = Double(window.size)
            windowedLayerFraction = Double(min(max(window.layers, 0), model.layers)) / Double(model.layers)
        }
        ropeAttentionFactor = model.details.ropeAttentionFactor
        clampedGLU = model.details.clampedGLU && model.mlp.isGated
        positionEmbeddingElements = model.position == .learned
            ? Double(model.maxSeq + model.details.positionOffset) * h : 0
    }

    /// Token-embedding elements (V x h).
    public var embeddingElements: Double { vocab * hidden }

    /// K plus V width one TP rank computes and holds: (K + V) / tp, or whole heads when tp
    /// exceeds the K/V heads and the framework replicates them (each rank needs at least the
    /// one head its query heads read: PaLM's 12-way TP over one K/V head computes the 256-wide
    /// K and V on every rank).
    public func keyValueWidthPerRank(tp: Int) -> Double {
        let t = Double(max(tp, 1))
        return max(keyWidth / t, min(qkHeadDim, keyWidth)) + max(valueWidth / t, min(vHeadDim, valueWidth))
    }
}

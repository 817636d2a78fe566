/// A decoder-only transformer architecture: everything Loom needs to count parameters, FLOPs,
/// activation bytes and communication volume. Dense and MoE blocks, GQA/MQA, DeepSeek MLA.
///
/// Field names follow Megatron-LM where one exists (`hidden` = h, `heads` = a, `layers` = L,
/// `ffn` = the MLP intermediate size, `vocab` = V); see Narayanan et al. 2021, Table 1.
public struct TransformerModel: Sendable, Hashable, Codable {
    public var name: String
    public var layers: Int
    public var hidden: Int
    public var heads: Int
    /// Key/value heads: `heads` for multi-head attention, fewer for GQA, 1 for MQA.
    public var kvHeads: Int
    /// Per-head dimension; `hidden / heads` unless the architecture says otherwise (Gemma: 256).
    public var headDim: Int
    /// MLP intermediate size of a dense layer.
    public var ffn: Int
    public var mlp: MLPKind
    public var vocab: Int
    /// Maximum sequence length the model was trained for (positions table size when learned).
    public var maxSeq: Int
    public var tiedEmbeddings: Bool
    /// Bias vectors on the Q, K, V projections (GPT-2, BLOOM, Qwen2).
    public var qkvBias: Bool
    /// Bias vectors on every other linear layer (attention output, MLP matrices).
    public var linearBias: Bool
    public var norm: NormKind
    public var position: PositionEmbedding
    /// Attention and MLP computed in parallel from one normalised input (GPT-J, NeoX, PaLM, Falcon).
    public var parallelBlock: Bool
    /// Mixture of experts, or nil for a dense model.
    public var moe: MoEConfig?
    /// DeepSeek multi-head latent attention, or nil for standard attention.
    public var mla: MLAConfig?
    /// Exact-count details that do not change the compute (extra norms, rotary fraction, ...).
    public var details: ArchitectureDetails

    public init(
        name: String, layers: Int, hidden: Int, heads: Int, kvHeads: Int? = nil, headDim: Int? = nil,
        ffn: Int, mlp: MLPKind, vocab: Int, maxSeq: Int, tiedEmbeddings: Bool = false,
        qkvBias: Bool = false, linearBias: Bool = false, norm: NormKind = .rmsnorm,
        position: PositionEmbedding = .rotary, parallelBlock: Bool = false,
        moe: MoEConfig? = nil, mla: MLAConfig? = nil, details: ArchitectureDetails = .init()
    ) {
        self.name = name
        self.layers = layers
        self.hidden = hidden
        self.heads = heads
        self.kvHeads = kvHeads ?? heads
        self.headDim = headDim ?? (heads > 0 ? hidden / heads : 0)
        self.ffn = ffn
        self.mlp = mlp
        self.vocab = vocab
        self.maxSeq = maxSeq
        self.tiedEmbeddings = tiedEmbeddings
        self.qkvBias = qkvBias
        self.linearBias = linearBias
        self.norm = norm
        self.position = position
        self.parallelBlock = parallelBlock
        self.moe = moe
        self.mla = mla
        self.details = details
    }
}

/// The MLP of a block. Gated kinds have three matrices (gate, up, down), the others two.
public enum MLPKind: String, Sendable, Hashable, Codable, CaseIterable {
    case gelu
    case relu
    case squaredRelu = "squared_relu"
    case swiglu
    case geglu

    /// Number of h x ffn matrices: 3 for gated (SwiGLU/GeGLU, Shazeer 2020), else 2.
    public var matrices: Int { isGated ? 3 : 2 }
    public var isGated: Bool { self == .swiglu || self == .geglu }
}

public enum NormKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// LayerNorm with weight and bias (2h parameters).
    case layernorm
    /// RMSNorm with weight only (h parameters).
    case rmsnorm
    /// LayerNorm without bias (h parameters; OLMo, some Falcon variants use none at all).
    case layernormNoBias = "layernorm_nobias"

    public var parametersPerChannel: Int { self == .layernorm ? 2 : 1 }
}

public enum PositionEmbedding: String, Sendable, Hashable, Codable, CaseIterable {
    /// A learned table of maxSeq x h (GPT-2, GPT-3, OPT).
    case learned
    case rotary
    case alibi
    case none
}

/// Mixture-of-experts configuration (Switch/GShard/Mixtral/DeepSeek style).
public struct MoEConfig: Sendable, Hashable, Codable {
    /// Routed experts per MoE layer.
    public var experts: Int
    /// Routed experts each token goes to (top-k).
    public var expertsPerToken: Int
    /// Intermediate size of one routed expert.
    public var expertFFN: Int
    /// Always-active shared experts (DeepSeek, Qwen2-MoE); 0 for none.
    public var sharedExperts: Int
    /// Intermediate size of one shared expert.
    public var sharedExpertFFN: Int
    /// The first `denseLayers` layers use the dense MLP of size `ffn` (DeepSeek first_k_dense_replace).
    public var denseLayers: Int
    /// Every `layerFrequency`-th layer (after the dense ones) is MoE; 1 = all (Qwen2-MoE decoder_sparse_step).
    public var layerFrequency: Int
    /// Router has a per-expert bias (DeepSeek-V3 e_score_correction_bias).
    public var routerBias: Bool
    /// A sigmoid gate of h weights on the shared expert's output (Qwen2-MoE shared_expert_gate).
    public var sharedExpertGate: Bool

    public init(experts: Int, expertsPerToken: Int, expertFFN: Int, sharedExperts: Int = 0,
                sharedExpertFFN: Int? = nil, denseLayers: Int = 0, layerFrequency: Int = 1,
                routerBias: Bool = false, sharedExpertGate: Bool = false) {
        self.experts = experts
        self.expertsPerToken = expertsPerToken
        self.expertFFN = expertFFN
        self.sharedExperts = sharedExperts
        self.sharedExpertFFN = sharedExpertFFN ?? expertFFN
        self.denseLayers = denseLayers
        self.layerFrequency = layerFrequency
        self.routerBias = routerBias
        self.sharedExpertGate = sharedExpertGate
    }
}

/// DeepSeek-V2/V3 multi-head latent attention (DeepSeek-AI 2024, section 2.1.2).
public struct MLAConfig: Sendable, Hashable, Codable {
    /// Rank of the query compression; 0 means queries are projected directly (DeepSeek-V2-Lite).
    public var qLoraRank: Int
    public var kvLoraRank: Int
    public var qkNopeHeadDim: Int
    public var qkRopeHeadDim: Int
    public var vHeadDim: Int

    public init(qLoraRank: Int, kvLoraRank: Int, qkNopeHeadDim: Int, qkRopeHeadDim: Int, vHeadDim: Int) {
        self.qLoraRank = qLoraRank
        self.kvLoraRank = kvLoraRank
        self.qkNopeHeadDim = qkNopeHeadDim
        self.qkRopeHeadDim = qkRopeHeadDim
        self.vHeadDim = vHeadDim
    }
}

/// Details that change exact parameter counts but not the cost model's shapes.
public struct ArchitectureDetails: Sendable, Hashable, Codable {
    /// A norm right after the token embedding (BLOOM word_embeddings_layernorm).
    public var embeddingNorm: Bool
    /// Norms per block: 2 (pre-attention, pre-MLP), 1 (parallel block with one shared norm),
    /// 4 (Gemma-2 sandwich norms).
    public var normsPerBlock: Int
    /// Rows of the learned position table beyond maxSeq (OPT keeps an offset of 2).
    public var positionOffset: Int
    /// Final norm before the output layer.
    public var finalNorm: Bool
    /// Separate input/output projections when the embedding width differs (OPT-350m); 0 = none.
    public var embeddingProjectionDim: Int
    /// Bias vectors on the MLP matrices when they differ from `linearBias` (Llama `mlp_bias`,
    /// GPT-NeoX whose MLP always has biases); nil = same as `linearBias`.
    public var mlpBias: Bool?

    public init(embeddingNorm: Bool = false, normsPerBlock: Int = 2, positionOffset: Int = 0,
                finalNorm: Bool = true, embeddingProjectionDim: Int = 0, mlpBias: Bool? = nil) {
        self.embeddingNorm = embeddingNorm
        self.normsPerBlock = normsPerBlock
        self.positionOffset = positionOffset
        self.finalNorm = finalNorm
        self.embeddingProjectionDim = embeddingProjectionDim
        self.mlpBias = mlpBias
    }
}

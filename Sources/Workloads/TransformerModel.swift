import Foundation

/// A transformer architecture: everything Loom needs to count parameters, FLOPs, activation
/// bytes and communication volume. Dense and MoE blocks, GQA/MQA, DeepSeek MLA; decoder-only
/// (the default), encoder-only (`attention: .bidirectional`, BERT) and encoder-decoder
/// (`decoder` set: `layers` is then the encoder stack, T5).
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
    /// Self-attention mask of the `layers` stack: `.causal` (decoder-only models) or
    /// `.bidirectional` (an encoder: BERT, RoBERTa, the encoder of T5).
    public var attention: AttentionMask
    /// The decoder stack of an encoder-decoder model (T5), or nil. When set, `layers` counts the
    /// encoder's layers and every decoder layer adds causal self-attention, cross-attention over
    /// the encoder output and an MLP of the same widths (`DecoderStack`).
    public var decoder: DecoderStack?
    /// What sits after the last layer: the logits (`.lmHead`, default), BERT's masked-LM head
    /// (`.maskedLM`), or nothing (`.none`, a bare encoder such as HF `BertModel`).
    public var outputHead: OutputHead
    /// Exact-count details that do not change the compute (extra norms, rotary fraction, ...).
    public var details: ArchitectureDetails
    /// Sliding-window (local) attention on some layers (GPT-OSS), or nil when every layer attends
    /// to the whole causal prefix.
    public var attentionWindow: AttentionWindow?

    public init(
        name: String, layers: Int, hidden: Int, heads: Int, kvHeads: Int? = nil, headDim: Int? = nil,
        ffn: Int, mlp: MLPKind, vocab: Int, maxSeq: Int, tiedEmbeddings: Bool = false,
        qkvBias: Bool = false, linearBias: Bool = false, norm: NormKind = .rmsnorm,
        position: PositionEmbedding = .rotary, parallelBlock: Bool = false,
        moe: MoEConfig? = nil, mla: MLAConfig? = nil, attention: AttentionMask = .causal,
        decoder: DecoderStack? = nil, outputHead: OutputHead = .lmHead, details: ArchitectureDetails = .init(),
        attentionWindow: AttentionWindow? = nil
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
        self.attention = attention
        self.decoder = decoder
        self.outputHead = outputHead
        self.details = details
        self.attentionWindow = attentionWindow
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
    /// A learned table of maxSeq x h (GPT-2, GPT-3, OPT, BERT).
    case learned
    case rotary
    case alibi
    case none
    /// T5's bucketed relative position bias: a scalar per (bucket, head) added to the attention
    /// logits, one `buckets x heads` table per stack held by its first layer (Raffel et al. 2020,
    /// section 2.1; HF `T5Attention.relative_attention_bias`). Buckets: `details.relativeAttentionBuckets`.
    case relativeBias = "relative_bias"
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

/// Details that change exact parameter counts but not the cost model's shapes (the per-head
/// norms add memory-bound work, `ElementwiseOps.headNorms`).
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
    /// Rows of the token-type (segment) embedding table, `tokenTypes x h` (BERT `type_vocab_size`
    /// 2, RoBERTa 1); 0 for none.
    public var tokenTypes: Int
    /// BERT's pooler: a dense `h x h` layer with bias on the first token (HF `BertPooler`).
    public var pooler: Bool
    /// Buckets of the relative position bias (`position == .relativeBias`; T5 default 32).
    public var relativeAttentionBuckets: Int
    /// Per-head RMSNorm (or LayerNorm) on the queries and on the keys, `2 headDim` scales per
    /// layer (Qwen3 `q_norm`/`k_norm` over head_dim, HF `Qwen3Attention`). CostModel prices it
    /// as memory-bound work on the Q and K widths (`ElementwiseOps.headNorms`).
    public var qkNorm: Bool
    /// A per-head RMSNorm on the values as well, `headDim` scales per layer (MaxText
    /// `layers/attentions.py` @76bd53b0: `value_norm` beside `query_norm` and `key_norm`; later
    /// MaxText's `use_v_norm`). Priced like `qkNorm` on the V width.
    public var valueNorm: Bool
    /// A learned sink logit per attention head, `heads` per layer, joining each softmax as an
    /// extra column that is then dropped (GPT-OSS `sinks`, HF `GptOssAttention`).
    public var attentionSinks: Bool
    /// YaRN's `rope_scaling.factor` f when the config takes YaRN's default attention factor (no
    /// `mscale` / `mscale_all_dim`), which scales the rotary cosines and sines by `0.1 ln f + 1`
    /// (Peng et al. 2023, YaRN, section 3.4; HF `_compute_yarn_parameters`, Megatron-Core
    /// `_yarn_get_mscale`): gpt-oss's 32 gives 1.3466. nil = none (plain RoPE, or YaRN whose
    /// `mscale` equals `mscale_all_dim`, as DeepSeek-V3's, whose factor is 1).
    public var yarnFactor: Int?
    /// The gated MLP clamps its two inputs before the activation (gpt-oss `swiglu_limit` 7.0: the
    /// gate at most 7, the linear half within [-7, 7], HF `GptOssExperts`).
    public var clampedGLU: Bool
    /// A bias of V on the output layer, kept even when its weight is tied (HF
    /// `PhiForCausalLM.lm_head`, `bias=True`).
    public var outputBias: Bool

    /// The factor YaRN scales the rotary cosines and sines by: `0.1 ln f + 1` for f > 1, else 1.
    public var ropeAttentionFactor: Double {
        guard let f = yarnFactor, f > 1 else { return 1 }
        return 0.1 * log(Double(f)) + 1
    }

    public init(embeddingNorm: Bool = false, normsPerBlock: Int = 2, positionOffset: Int = 0,
                finalNorm: Bool = true, embeddingProjectionDim: Int = 0, mlpBias: Bool? = nil,
                tokenTypes: Int = 0, pooler: Bool = false, relativeAttentionBuckets: Int = 32,
                qkNorm: Bool = false, valueNorm: Bool = false, attentionSinks: Bool = false,
                yarnFactor: Int? = nil, clampedGLU: Bool = false, outputBias: Bool = false) {
        self.embeddingNorm = embeddingNorm
        self.normsPerBlock = normsPerBlock
        self.positionOffset = positionOffset
        self.finalNorm = finalNorm
        self.embeddingProjectionDim = embeddingProjectionDim
        self.mlpBias = mlpBias
        self.tokenTypes = tokenTypes
        self.pooler = pooler
        self.relativeAttentionBuckets = relativeAttentionBuckets
        self.qkNorm = qkNorm
        self.valueNorm = valueNorm
        self.attentionSinks = attentionSinks
        self.yarnFactor = yarnFactor
        self.clampedGLU = clampedGLU
        self.outputBias = outputBias
    }
}

/// Sliding-window attention on `layers` of the model's layers: each query attends to at most the
/// `size` most recent keys, itself included (HF `sliding_window` with `layer_types`
/// "sliding_attention"; GPT-OSS: 128 on every other layer, OpenAI 2025, gpt-oss model card,
/// section 2.1). Which layers does not change per-token counts, so only how many is kept.
public struct AttentionWindow: Sendable, Hashable, Codable {
    /// Keys a query sees at most.
    public var size: Int
    /// Layers that use the window; the others attend to the whole sequence.
    public var layers: Int

    public init(size: Int, layers: Int) {
        self.size = size
        self.layers = layers
    }
}

import Workloads

/// One published training run, as in `Validation/published-runs.json` and
/// `Validation/published-runs-2.json`: the model shape, the cluster, the layout, how it was
/// trained, and what the authors reported.
///
/// Every field a runs file gives is kept, and an optional is nil exactly when the file leaves the
/// field out ("unstated"): the defaults Loom assumes for unstated fields are applied in one place,
/// `RunMapping.inputs(for:options:cluster:)`, never here. Required fields (a run without them is
/// an error naming the run): `id`, `model.{layers, hidden, heads, vocab, seq}`,
/// `cluster.{preset, gpus}`, `layout.{tp, pp, dp, global_batch}` and a `reported` object.
public struct PublishedRun: Sendable, Hashable, Codable {
    /// The transformer, described inline (keys as in the runs files).
    public struct Model: Sendable, Hashable, Codable {
        /// A preset name or Hugging Face id whose architecture fills the fields the run leaves out
        /// (`RunsFileAliases.fillModelFromPreset`); nil: every field stated.
        public var preset: String?
        public var layers: Int
        public var hidden: Int
        public var heads: Int
        public var kvHeads: Int?
        /// Per-head width when it is not hidden / heads (MaxText's 256).
        public var headDim: Int?
        public var ffn: Int?
        public var vocab: Int
        public var seq: Int
        /// `gelu`, `relu`, `relu2` (squared ReLU), `swiglu`, `geglu`...
        public var mlp: String?
        public var tiedEmbeddings: Bool?
        /// Attention and MLP in parallel from one pre-norm (PaLM / GPT-J style).
        public var parallelBlock: Bool?
        /// Per-head norms on Q and K, and on V (`ArchitectureDetails.qkNorm`, `valueNorm`; MaxText
        /// @76bd53b0 `query_norm`, `key_norm`, `value_norm`); nil: none.
        public var qkNorm: Bool?
        public var vNorm: Bool?
        /// A mixture of experts (Megatron-Core's `--num-experts`, `--moe-router-topk`,
        /// `--moe-ffn-hidden-size`, `--moe-shared-expert-intermediate-size`, and the leading
        /// dense layers of `--moe-layer-freq`): routed experts, experts per token (required with
        /// `experts`), one expert's intermediate width (default `ffn`), shared experts and their
        /// width each (default `expert_ffn`), dense layers before the first MoE layer.
        public var experts: Int?
        public var expertsPerToken: Int?
        public var expertFfn: Int?
        public var sharedExperts: Int?
        public var sharedExpertFfn: Int?
        public var denseLayers: Int?
        /// DeepSeek multi-head latent attention (`q_lora_rank`, `kv_lora_rank`,
        /// `qk_nope_head_dim`, `qk_rope_head_dim`, `v_head_dim`, as Hugging Face's DeepSeek-V3
        /// and Kimi K2 configs spell them); nil: standard attention of `heads` x `head_dim`.
        public var mla: MLAConfig?
        /// Sliding-window attention on some layers (`size` keys, on `layers` of the layers;
        /// GPT-OSS: 128 on 18 of 36); nil: every layer attends to the whole causal prefix.
        public var attentionWindow: AttentionWindow?
        /// Bias vectors on the Q, K, V projections, and on every other linear layer (attention
        /// output, MLP and expert matrices), when the run states them (GPT-OSS: both, Hugging
        /// Face `attention_bias` and the experts' `gate_up_proj_bias` / `down_proj_bias`); nil:
        /// the mapping's default for the MLP kind (`RunMapping.inputs`).
        public var qkvBias: Bool?
        public var linearBias: Bool?
        /// YaRN's `rope_scaling.factor` when the model takes YaRN's default attention factor
        /// (`ArchitectureDetails.yarnFactor`; GPT-OSS: 32); nil: plain RoPE.
        public var yarnFactor: Int?
        /// The experts' gated inputs clamped before the activation (`ArchitectureDetails.clampedGLU`;
        /// GPT-OSS `swiglu_limit` 7.0); nil: not clamped.
        public var clampedGlu: Bool?
    }

    public struct Cluster: Sendable, Hashable, Codable {
        /// A topology preset name (`Topologies/*.yaml`), possibly one Loom does not have yet.
        public var preset: String
        public var gpus: Int
    }

    public struct Layout: Sendable, Hashable, Codable {
        public var tp: Int
        public var pp: Int
        public var dp: Int
        public var cp: Int?
        public var ep: Int?
        public var vpp: Int?
        /// ZeRO stage 0-3.
        public var zero: Int?
        /// FSDP (FULL_SHARD / FSDP2) stated.
        public var fsdp: Bool?
        /// Ranks the parameters are sharded over when the source states it (HSDP, or FSDP over
        /// the flattened dp x cp mesh as torchtitan does).
        public var fsdpShardGroup: Int?
        /// `none`, `selective`, `full`.
        public var recompute: String?
        public var sequenceParallel: Bool?
        public var flashAttention: Bool?
        public var microBatch: Int?
        public var globalBatch: Int
        /// Gradient-accumulation steps as the source states them.
        public var gradientAccumulation: Int?
    }

    /// Fine-tuning instead of pre-training (`published-runs-2.json`'s NeMo SFT and LoRA rows).
    public struct Finetune: Sendable, Hashable, Codable {
        /// `full`, `lora`...
        public var method: String
        public var rank: Int?
    }

    public struct Reported: Sendable, Hashable, Codable {
        public var tflopsPerGpu: Double?
        public var mfu: Double?
        public var hfu: Double?
        public var iterationS: Double?
        public var tokensPerS: Double?
        /// Tokens/s of one GPU, as tables that print a per-GPU rate give it (NeMo's and
        /// Megatron-Bridge's `Tokens/sec/GPU`): `tokens_per_s` is this times the run's GPUs.
        public var tokensPerSPerGpu: Double?
        /// Measured peak GPU memory, GiB.
        public var peakMemoryGib: Double?
    }

    public var id: String
    public var source: String?
    public var framework: String?
    /// `bf16`, `fp16`, `fp8`... (nil: unstated; the 2021-22 runs trained in 16-bit mixed precision).
    public var precision: String?
    public var model: Model
    public var cluster: Cluster
    public var layout: Layout
    public var finetune: Finetune?
    /// Recipe fields the source states beyond the layout, by `TrainingRecipe.fields` key
    /// (`{"fused_kernels": true}` for a run that used torch.compile or fused kernels), applied
    /// as `--recipe key=value` would be (`RunMapping`).
    public var recipe: [String: RecipeSetting]?
    public var reported: Reported
    /// Whether the transcription was checked against the source (the files' `verified`).
    public var verified: Bool?
    public var notes: String?

    /// Reported tokens/s: as stated, or the per-GPU rate times the GPUs, or derived from the
    /// iteration time (global batch x sequence / time).
    public var reportedTokensPerSecond: Double? {
        if let tokens = reported.tokensPerS { return tokens }
        if let perGPU = reported.tokensPerSPerGpu { return perGPU * Double(cluster.gpus) }
        if let seconds = reported.iterationS, seconds > 0 {
            return Double(layout.globalBatch) * Double(model.seq) / seconds
        }
        return nil
    }
}

/// One value of a runs file's `recipe` object, as JSON writes it (`true`, `"fp8"`, `2`), kept as
/// the text `--recipe key=value` would take.
public struct RecipeSetting: Sendable, Hashable, Codable {
    public var text: String
    /// The JSON kind it was written as, so that it is written back the same way.
    enum Kind: Sendable, Hashable { case bool, number, string }
    var kind: Kind

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let flag = try? container.decode(Bool.self) {
            text = flag ? "true" : "false"
            kind = .bool
        } else if let number = try? container.decode(Int.self) {
            text = String(number)
            kind = .number
        } else {
            text = try container.decode(String.self)
            kind = .string
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch kind {
        case .bool: try container.encode(text == "true")
        case .number: try container.encode(Int(text) ?? 0)
        case .string: try container.encode(text)
        }
    }
}

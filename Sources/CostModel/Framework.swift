/// The training framework whose behaviour an estimate assumes: which communication it overlaps
/// with compute, the dtype of its gradient buffers, and its few fixed overheads.
/// Every profile is a documented set of defaults; `--overlap-*` flags override the switches.
public enum Framework: String, Sendable, Hashable, Codable, CaseIterable {
    /// Megatron-LM as of Narayanan et al. 2021: no DP or TP overlap, gradients accumulated into
    /// the fp32 main-gradient buffer by a separate kernel.
    case megatronLM = "megatron-lm"
    /// Megatron-LM as Korthikanti et al. 2022 ran it: the 2021 schedule with the weight-gradient
    /// GEMMs accumulating straight into the fp32 main gradients (`--gradient-accumulation-fusion`,
    /// apex's fused_weight_gradient_mlp_cuda, in Megatron-LM since mid-2021).
    case megatronLM2022 = "megatron-lm-2022"
    /// Megatron-Core (2023+): distributed optimizer, overlapped grad reduce and param gather.
    case megatronCore = "megatron-core"
    /// NeMo (2024+): Megatron-Core launched by NeMo's performance recipes, which also turn on
    /// sequence parallelism, TP communication overlap (Transformer Engine userbuffers,
    /// `tp_comm_overlap`) and the interleaved schedule's p2p overlap.
    case nemo
    /// Megatron-DeepSpeed: Megatron's model code on DeepSpeed's pipeline engine (MT-NLG).
    case megatronDeepSpeed = "megatron-deepspeed"
    /// DeepSpeed ZeRO data parallelism (Rajbhandari et al. 2020).
    case deepspeed
    /// PyTorch FSDP (Zhao et al. 2023).
    case fsdp
    /// torchtitan: FSDP2 + TP/PP/CP in PyTorch (Liang et al. 2024).
    case torchtitan
    /// MaxText: JAX/XLA with a device mesh of data / fsdp / tensor / sequence / expert axes
    /// (AI-Hypercomputer/maxtext), on TPU and on GPUs.
    case maxtext

    public var profile: FrameworkProfile {
        switch self {
        case .megatronLM: return .megatronLM
        case .megatronLM2022: return .megatronLM2022
        case .megatronCore: return .megatronCore
        case .nemo: return .nemo
        case .megatronDeepSpeed: return .megatronDeepSpeed
        case .deepspeed: return .deepspeed
        case .fsdp: return .fsdp
        case .torchtitan: return .torchtitan
        case .maxtext: return .maxtext
        }
    }
}

/// A framework's defaults. The numbers are behaviour (dtypes, what overlaps), not tuning,
/// except `pipelineEngineEfficiency`, whose source is given where it is not 1.
public struct FrameworkProfile: Sendable, Hashable {
    /// DP gradient reduce-scatter/all-reduce overlapped with the backward pass, bucket by bucket.
    public var overlapsGradReduce: Bool
    /// ZeRO-3/FSDP (or distributed-optimizer) parameter all-gathers prefetched behind compute.
    public var overlapsParamGather: Bool
    /// TP collectives overlapped with the GEMMs they feed (userbuffers / async TP).
    public var overlapsTPComm: Bool
    /// Fused flash attention on unless turned off: Megatron-Core's Transformer Engine attention
    /// backends (flash / cuDNN fused) are the default, as is PyTorch SDPA's flash kernel in
    /// FSDP, torchtitan and DeepSpeed's Hugging Face models. Off where it is opt-in
    /// (`--use-flash-attn`, a store_true flag, in Megatron-LM and Megatron-DeepSpeed) and in the
    /// 2021-22 runs, which predate FlashAttention (Dao et al. 2022).
    public var usesFlashAttention: Bool
    /// Bytes per element of the gradient buffer that is kept and reduced over DP:
    /// 4 for Megatron's fp32 main gradients (the 18 bytes/parameter of Korthikanti et al. 2022:
    /// 2 weight + 4 gradient + 12 Adam), 2 for DeepSpeed's fp16 gradients (the 16 bytes/parameter
    /// of Rajbhandari et al. 2020, K = 12).
    public var gradientBytes: Double
    /// Bytes per element of the DP gradient reduction: Megatron reduces its fp32 main-gradient
    /// buffer (the 4 bytes of the 18 bytes/parameter accounting), DeepSpeed and FSDP with a
    /// bf16 `reduce_dtype` reduce 16-bit gradients.
    public var gradientReduceBytes: Double
    /// Interleaved 1F1B available (Megatron); DeepSpeed's pipeline engine has only plain 1F1B.
    public var supportsInterleaving: Bool
    /// Pipeline p2p sends 1/t of the activation per TP rank and all-gathers over NVLink
    /// (Narayanan et al. 2021 section 4.1, "scatter/gather optimization").
    public var scatterGatherP2P: Bool
    /// Fraction of Megatron's per-micro-batch throughput that the framework's pipeline engine
    /// reaches at the same shape (1 = Megatron's own schedule).
    public var pipelineEngineEfficiency: Double
    /// Bytes the framework's memory-bound kernels move per element (fused or eager PyTorch).
    public var kernels: KernelTraffic = .fused
    /// The fused attention kernel: Transformer Engine's best (cuDNN / FlashAttention-3 on Hopper)
    /// for Megatron, FlashAttention-2 through PyTorch SDPA for the PyTorch-native frameworks.
    public var attentionKernel: AttentionKernel = .best
    /// With tensor parallelism above the key/value heads, each rank computes and keeps the K/V
    /// heads it needs (JAX sharding replicates a dimension the mesh axis does not divide; PaLM
    /// ran 12-way TP over one K/V head, Chowdhery et al. 2022, section 4). Megatron-Core
    /// requires TP to divide the K/V heads (`num_query_groups % tensor_model_parallel_size`).
    public var replicatesKeyValueHeads: Bool = false
    /// MaxText-style sharding: activations sharded over the tensor axis between the layers
    /// (`activation_embed` -> `tensor` in base.yml's logical_axis_rules), as Megatron's sequence
    /// parallelism does; remat by `RematPolicy`; weights sharded over the fsdp axis.
    public var jaxSharding: Bool = false
    /// Sequence parallelism with tensor parallelism unless turned off: torchtitan's TP plan always
    /// shards the norms' sequence (`SequenceParallel` in its `parallelize_llama`); NeMo's recipes
    /// and Megatron-LM's example launch scripts pass `--sequence-parallel`.
    public var sequenceParallelByDefault: Bool = false
    /// The interleaved schedule's p2p transfers run asynchronously behind the next chunk's compute
    /// (Megatron-Core's `overlap_p2p_comm`, on unless `--no-overlap-p2p-communication`).
    public var overlapsPipelineP2P: Bool = false
    /// Weight-gradient GEMMs accumulate straight into the fp32 main-gradient buffer
    /// (`--gradient-accumulation-fusion`, on by default in Megatron-LM since 2021 and in
    /// Transformer Engine's linear layers): no separate accumulation kernel per micro-batch.
    public var fusesGradientAccumulation: Bool = false
    /// The ZeRO stage of data parallelism when none is given: 1 where the framework's recipes use
    /// Megatron's distributed optimizer (`--use-distributed-optimizer`; NeMo's
    /// `use_distributed_optimizer: True`), 3 where data parallelism is FSDP full sharding
    /// (torchtitan's `data_parallel_shard_degree = -1`, FSDP's FULL_SHARD), else 0.
    public var defaultZero: Int = 0
    /// With pipeline parallelism, FSDP keeps a stage's gathered weights (and their unsharded
    /// gradients) instead of resharding after each micro-batch's forward: torchtitan sets
    /// `reshard_after_forward=False` when PP is on (its `fsdp_reshard_after_forward = "default"`),
    /// trading memory for one gather per step; each local stage holds them from its first
    /// forward (gradients: its first backward) to its last backward (`PipelineStageResidency`).
    public var keepsGatheredWeightsUnderPipeline: Bool = false
    /// Gradients live in the parameters' own `.grad`, which the optimizer's
    /// `zero_grad(set_to_none=True)` frees and autograd allocates again during the backward (a
    /// PyTorch training loop on one GPU: torchtune's single-device recipes, Hugging Face's
    /// `Trainer`), not in a buffer held for the whole step (Megatron's `main_grad`, DeepSpeed's
    /// contiguous gradients): `ProgressiveGradients`.
    public var allocatesGradientsDuringBackward: Bool = false
    /// Peak bytes per logit the loss holds on the last stage, beyond the saved layer activations:
    /// a fused vocab-parallel cross entropy (Megatron) keeps the fp32 softmax (4; Korthikanti et
    /// al. 2022, section 4.3's 4sbv/t). A loss over chunked logits (torchtune's
    /// `CEWithChunkedOutputLoss`) is the recipe's `lossOutputChunks` (`ChunkedLossMemory`). torchtitan's eager `cross_entropy(pred.flatten(0, 1).float(),
    /// labels)` (train.py, which then `del pred`s the logits before `loss.backward()`) holds in
    /// the forward the bf16 logits (2), their fp32 copy (4) and log_softmax's fp32 output (4),
    /// 10, and at the start of the backward log_softmax's saved output (4), nll_loss's dense fp32
    /// gradient (4) and log_softmax's input gradient (4) at once: 12, the peak.
    public var lossPeakBytesPerLogit: Double = 4
    /// The peak of an eager cross entropy over logits upcast to fp32 whole, 12 bytes per logit
    /// at the start of the backward (the derivation above): torchtitan's train step, and Hugging
    /// Face's `ForCausalLMLoss` (`transformers/loss/loss_utils.py`: `logits = logits.float()`,
    /// labels shifted by padding, `nn.functional.cross_entropy`), which `TrainingRecipe.fp32LogitsLoss`
    /// selects.
    public static let eagerUpcastLossPeakBytesPerLogit: Double = 12
    /// The loss's peak bytes per logit when tensor parallelism shards the vocabulary and the
    /// loss runs on the shards (nil: `lossPeakBytesPerLogit` whatever the TP). torchtitan turns
    /// on DTensor's `loss_parallel()` whenever TP is on (@9dec370: parallel_dims.py:119-120,
    /// `loss_parallel_enabled = tp > 1 and enable_loss_parallel`; utils.py:200-201,
    /// `get_train_context`; train.py:285 and 302 run forward and backward in it), whose cross entropy
    /// is decomposed op by op (pytorch torch/distributed/tensor/parallel/loss.py): the forward's
    /// `_log_softmax` holds the bf16 logits (2), their fp32 copy (4), `shifted = x - x_max` (4)
    /// and `exp(shifted)` (4), 14; the fused backward `_nll_loss_and_log_softmax_backward`
    /// returns `(grad_input + torch.exp(x)) * grad_output` with `grad_input = zeros_like(x)`,
    /// holding the saved log-softmax output x (4), grad_input (4), exp(x) (4) and their sum
    /// (4) at once: 16, the peak (the bf16 logits are deleted before `loss.backward()`).
    public var lossParallelPeakBytesPerLogit: Double? = nil
    /// torch.distributed.pipelining's per-micro-batch buffers (`PipelineStageBuffers`): every
    /// stage's outputs, receive buffers and input gradients held for the whole step, and the
    /// last stage's outputs merged into one tensor at its end
    /// (`PipelineStageBuffers.mergedOutputBytes`).
    public var keepsPipelineMicroBatchBuffers: Bool = false
    /// Context parallelism all-gathers every rank's keys and values once per attention
    /// (`RingAttentionBuffers`) instead of passing them round the ring one shard at a time.
    public var gathersContextParallelKeyValues: Bool = false
    /// What `--recompute selective` means in the framework: Megatron's selective recomputation
    /// (Korthikanti et al. 2022, section 5: keep every projection, recompute the attention core)
    /// or torchtitan's per-op policy (`SelectiveOpCheckpoint`).
    public var selectiveRecompute: SelectiveRecompute = .attentionCore
    /// Under an 8- or 4-bit recipe the linear layers keep their inputs for the backward in the
    /// GEMM input format, not in 16 bits: Transformer Engine's `Linear`, `LayerNormLinear` and
    /// `LayerNormMLP` save the quantised input their weight-gradient GEMM reads (Transformer
    /// Engine docs, "Memory usage in low precision training": a BF16-weight Linear under
    /// `fp8_autocast` holds "1 MB (input in FP8 saved for backward)" for a 2 MB input). torchao's
    /// float8 linear saves the high-precision input and casts again in the backward.
    public var savesQuantisedLinearInputs: Bool = false
    /// The MoE token dispatch and combine (the expert-parallel all-to-alls) of one micro-batch
    /// run behind the compute of another (Megatron-Core's `overlap_moe_expert_parallel_comm`,
    /// "EP A2A overlap": the 1F1B steady state pairs a forward with a backward; it needs EP > 1,
    /// VPP when PP > 1, and no full recomputation). Off in Megatron-Core unless asked for
    /// (`TransformerConfig.overlap_moe_expert_parallel_comm = False`), and off in every profile:
    /// NeMo's performance recipes set it per model, system and release (Megatron-Bridge
    /// `scripts/performance/configs/*/workload_base_configs.py` @1e9a459b, November 2025: on the
    /// H100 presets and B200 Qwen3-235B only; the August 2026 `perf_recipes/deepseek/common.py`
    /// and `gpt_oss/common.py` turn it on for DeepSeek-V3 and GPT-OSS), and NeMo's 24.x recipes
    /// predate it (added to Megatron-Bridge in August 2025, #497). A run that uses it says so
    /// (`--recipe overlap_ep_comm=true`, a runs file's recipe `overlap_ep_comm`).
    public var overlapsEPComm: Bool = false
    /// The pipeline split may count the embedding and the loss as a layer each
    /// (Megatron-Core's `--account-for-embedding-in-pipeline-split` and
    /// `--account-for-loss-in-pipeline-split`, which NeMo's Llama 3.1 405B recipes use): up to
    /// layers + 2 virtual stages, the first and the last stage a layer lighter (Llama 3.1 405B's
    /// 126 layers on PP 16 x VP 8 = 128 chunks of one).
    public var countsEmbeddingAndLossInPipelineSplit: Bool = false
    /// The 16-bit weights are cast from the fp32 parameters when used, not kept beside them:
    /// FSDP's `MixedPrecision`/`MixedPrecisionPolicy(param_dtype=bf16)` shards the fp32
    /// parameters and casts each unit at its all-gather (Zhao et al. 2023, PyTorch FSDP,
    /// section 4.4; torchtitan, llm-foundry), as MaxText's `weight_dtype: float32` with bf16
    /// `dtype` does per matmul. Under mixed precision a parameter then keeps 4 + 4 + 8 = 16
    /// bytes (fp32 weight, gradient, Adam moments), not Megatron's 18.
    public var castsWeightsFromMaster: Bool = false
    /// Under sequence parallelism the attention and MLP blocks keep their all-gathered input for
    /// the linear layers' backward: DTensor's `PrepareModuleInput(desired_input_layouts=
    /// Replicate())` gathers it once and the matmuls save the gathered tensor (torchtitan's TP
    /// plan, `parallelize_llama.apply_tp`). Megatron saves the sequence-split copy and gathers it
    /// again in the backward (Korthikanti et al. 2022, section 4.2.2): memory h/t per token and
    /// one more all-gather per block in the backward, where DTensor keeps h and gathers nothing.
    public var savesGatheredLinearInputs: Bool = false
    /// FSDP's units (`FSDPUnitMemory`): every transformer block is one unit, gathered before its
    /// forward and backward and resharded after them (two in flight with prefetch), and the root
    /// unit holds the embeddings and the output layer, gathered through the whole forward and
    /// again through the whole backward (`fully_shard(model)` in torchtitan's
    /// `parallelize_llama`). Not the generic FSDP profile: torchtune shards the embeddings and
    /// the output layer as units of their own (`custom_sharded_layers`), other wrappers differ.
    public var shardsByTransformerBlock: Bool = false
    /// The routed experts' output bias is added after the grouped GEMM, weighted by the router
    /// probabilities, as separate PyTorch ops (Megatron-Core's `TEGroupedMLP._apply_bias`;
    /// `ExpertBiasTraffic`), unless the recipe runs the fused grouped MLP
    /// (`TrainingRecipe.fusedGroupedMLP`).
    public var addsExpertBiasUnfused: Bool = false
    /// The fused rotary kernel takes no YaRN attention factor: Megatron-Core's
    /// `apply_rotary_pos_emb` with `apply_rope_fusion` falls back to the eager
    /// `_apply_rotary_pos_emb_bshd` when `mscale != 1` (`UnfusedRotaryTraffic`).
    public var fusedRotaryTakesNoAttentionFactor: Bool = false
    /// The experts' GLU clamp runs as eager ops before the fused activation (Megatron-Core's
    /// `weighted_bias_quick_geglu_impl`: `chunk`, two `clamp`s, `cat`; `ClampedGLUTraffic`),
    /// unless the recipe runs the fused grouped MLP.
    public var clampsGLUOutsideFusedActivation: Bool = false

    public static let megatronLM = FrameworkProfile(
        overlapsGradReduce: false, overlapsParamGather: false, overlapsTPComm: false, usesFlashAttention: false,
        gradientBytes: 4, gradientReduceBytes: 4, supportsInterleaving: true, scatterGatherP2P: true, pipelineEngineEfficiency: 1)
    /// Megatron-Core as NeMo/Megatron recipes launch it: `--overlap-grad-reduce` and
    /// `--overlap-param-gather` on; TP communication overlap (`--tp-comm-overlap`, Transformer
    /// Engine userbuffers) is opt-in and off unless `--overlap-tp-comm true` is given.
    public static let megatronCore = FrameworkProfile(
        overlapsGradReduce: true, overlapsParamGather: true, overlapsTPComm: false, usesFlashAttention: true,
        gradientBytes: 4, gradientReduceBytes: 4, supportsInterleaving: true, scatterGatherP2P: true, pipelineEngineEfficiency: 1,
        sequenceParallelByDefault: true, overlapsPipelineP2P: true, fusesGradientAccumulation: true, defaultZero: 1,
        savesQuantisedLinearInputs: true, countsEmbeddingAndLossInPipelineSplit: true, addsExpertBiasUnfused: true,
        fusedRotaryTakesNoAttentionFactor: true, clampsGLUOutsideFusedActivation: true)
    /// Korthikanti et al. 2022's Megatron-LM: the 2021 profile with fused gradient accumulation.
    public static let megatronLM2022 = FrameworkProfile(
        overlapsGradReduce: false, overlapsParamGather: false, overlapsTPComm: false, usesFlashAttention: false,
        gradientBytes: 4, gradientReduceBytes: 4, supportsInterleaving: true, scatterGatherP2P: true, pipelineEngineEfficiency: 1,
        fusesGradientAccumulation: true)
    /// NeMo's performance recipes (NeMo-Framework-Launcher `conf/training/*`, 24.07): Megatron-Core
    /// with `sequence_parallel`, `tp_comm_overlap` (userbuffers) and the distributed optimizer's
    /// overlapped reduce and gather.
    public static let nemo = FrameworkProfile(
        overlapsGradReduce: true, overlapsParamGather: true, overlapsTPComm: true, usesFlashAttention: true,
        gradientBytes: 4, gradientReduceBytes: 4, supportsInterleaving: true, scatterGatherP2P: true, pipelineEngineEfficiency: 1,
        sequenceParallelByDefault: true, overlapsPipelineP2P: true, fusesGradientAccumulation: true, defaultZero: 1,
        savesQuantisedLinearInputs: true, countsEmbeddingAndLossInPipelineSplit: true,
        addsExpertBiasUnfused: true, fusedRotaryTakesNoAttentionFactor: true, clampsGLUOutsideFusedActivation: true)
    public static let megatronDeepSpeed = FrameworkProfile(
        overlapsGradReduce: false, overlapsParamGather: false, overlapsTPComm: false, usesFlashAttention: false,
        gradientBytes: 2, gradientReduceBytes: 2, supportsInterleaving: false, scatterGatherP2P: false,
        pipelineEngineEfficiency: CostModelConstants.deepSpeedPipelineEngineEfficiency)
    public static let deepspeed = FrameworkProfile(
        overlapsGradReduce: true, overlapsParamGather: true, overlapsTPComm: false, usesFlashAttention: true,
        gradientBytes: 2, gradientReduceBytes: 2, supportsInterleaving: false, scatterGatherP2P: false,
        pipelineEngineEfficiency: CostModelConstants.deepSpeedPipelineEngineEfficiency, kernels: .eager, attentionKernel: .flashAttention2)
    public static let fsdp = FrameworkProfile(
        overlapsGradReduce: true, overlapsParamGather: true, overlapsTPComm: false, usesFlashAttention: true,
        gradientBytes: 4, gradientReduceBytes: 2, supportsInterleaving: false, scatterGatherP2P: false, pipelineEngineEfficiency: 1, kernels: .eager, attentionKernel: .flashAttention2,
        defaultZero: 3, allocatesGradientsDuringBackward: true, castsWeightsFromMaster: true)
    public static let torchtitan = FrameworkProfile(
        overlapsGradReduce: true, overlapsParamGather: true, overlapsTPComm: false, usesFlashAttention: true,
        gradientBytes: 4, gradientReduceBytes: 4, supportsInterleaving: true, scatterGatherP2P: false, pipelineEngineEfficiency: 1, kernels: .eager, attentionKernel: .flashAttention2,
        sequenceParallelByDefault: true, defaultZero: 3, keepsGatheredWeightsUnderPipeline: true,
        lossPeakBytesPerLogit: FrameworkProfile.eagerUpcastLossPeakBytesPerLogit, lossParallelPeakBytesPerLogit: 16, keepsPipelineMicroBatchBuffers: true,
        gathersContextParallelKeyValues: true, selectiveRecompute: .everyOtherMatmul, castsWeightsFromMaster: true,
        savesGatheredLinearInputs: true, shardsByTransformerBlock: true)
    /// MaxText on XLA: FSDP all-gathers and reduce-scatters are asynchronous collectives XLA
    /// schedules behind the neighbouring layers' compute, pipelined across the scanned layers
    /// (the v5p scripts' `--xla_enable_async_all_gather=true` with
    /// `--xla_tpu_data_parallel_opt_different_sized_ops=true`; the v4 scripts, with the first
    /// only, run them in series with each layer: `RunMapping`), and so is the gradient
    /// all-reduce between slices (`--xla_tpu_enable_data_parallel_all_reduce_opt=true`). TP
    /// collectives overlap the matmuls only with XLA's async collective fusion / collective
    /// matmul (Wang et al. 2023, "Overlap Communication with Dependent Computation via
    /// Decomposition in Large Deep Learning Models", ASPLOS), which is opt-in through
    /// LIBTPU_INIT_ARGS: base.yml sets no flag, the v5p scripts turn on
    /// `--xla_tpu_enable_async_collective_fusion` and `--xla_tpu_overlap_compute_collective_tc`
    /// (`--overlap-tp-comm true`). fp32 weights (`weight_dtype: float32`, base.yml), so
    /// gradients are fp32 and reduced in fp32. Flash attention (Pallas / splash on TPU,
    /// `attention: autoselected`). XLA's loop fusion runs each chain of elementwise ops as one
    /// kernel (one read, one write), which is what `KernelTraffic.fused` counts for Megatron's
    /// fused kernels. The weight gradients of a micro-batch are summed inside the compiled step
    /// (no separate accumulation kernel). No interleaved pipeline schedule is modelled.
    public static let maxtext = FrameworkProfile(
        overlapsGradReduce: true, overlapsParamGather: true, overlapsTPComm: false, usesFlashAttention: true,
        gradientBytes: 4, gradientReduceBytes: 4, supportsInterleaving: false, scatterGatherP2P: false,
        pipelineEngineEfficiency: 1, kernels: .fused, attentionKernel: .best, replicatesKeyValueHeads: true,
        jaxSharding: true, sequenceParallelByDefault: true, fusesGradientAccumulation: true, defaultZero: 3,
        castsWeightsFromMaster: true)
}

extension FrameworkProfile {
    /// Peak bytes per logit of the loss at TP degree `tp` (`lossParallelPeakBytesPerLogit` when
    /// TP shards the vocabulary, else `lossPeakBytesPerLogit`).
    public func peakLossBytesPerLogit(tp: Int) -> Double {
        tp > 1 ? lossParallelPeakBytesPerLogit ?? lossPeakBytesPerLogit : lossPeakBytesPerLogit
    }
}

/// The meaning of selective recomputation in a framework (`FrameworkProfile.selectiveRecompute`).
public enum SelectiveRecompute: String, Sendable, Hashable, Codable {
    /// Megatron (Korthikanti et al. 2022): keep every projection, recompute the attention core.
    case attentionCore
    /// torchtitan's `selective_ac_option = "op"`: save every other matmul (`SelectiveOpCheckpoint`).
    case everyOtherMatmul
}

/// Which fused attention kernel a framework runs.
public enum AttentionKernel: String, Sendable, Hashable, Codable {
    /// The fastest the accelerator has (topology `attention_efficiency`).
    case best
    /// FlashAttention-2 (topology `flash_attention2_efficiency`, else `attention_efficiency`).
    case flashAttention2
}

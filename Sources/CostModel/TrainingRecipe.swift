/// What is trained and how, beside `ParallelLayout` (how the work is split): the framework and
/// its kernels, the numeric precision, the optimizer, activation recomputation, flash attention
/// and the communication-overlap switches. Every cost-model function reads `(layout, recipe)`.
///
/// Optional switches are nil when the caller did not choose: the `effective*` accessors then
/// give the framework's default (`FrameworkProfile`), so every command resolves them alike.
public struct TrainingRecipe: Sendable, Hashable, Codable {
    public var framework: Framework
    public var precision: Precision
    public var optimizer: OptimizerKind
    public var recompute: Recompute
    /// A JAX remat policy (MaxText's `remat_policy`); nil = the one `recompute` names for a
    /// framework with JAX sharding (`effectiveRemat`), and Megatron's recomputation otherwise.
    public var remat: RematPolicy?
    /// Fused flash attention (no s x s scores in memory); nil = the framework's default.
    public var flashAttention: Bool?
    /// Overlap switches; nil = the framework's default.
    public var overlapGradReduce: Bool?
    public var overlapParamGather: Bool?
    public var overlapTPComm: Bool?
    /// MoE token all-to-all of one micro-batch overlapped with another's compute
    /// (`overlapsEPComm`); nil = the framework's default.
    public var overlapEPComm: Bool?
    /// What is trained: full, LoRA/QLoRA adapters or frozen embeddings (`FineTuning`).
    public var fineTuning: FineTuning = .full
    /// Mixed precision keeps fp32 master weights beside 16-bit ones (Micikevicius et al. 2018);
    /// pure 16-bit training (torchtune's bf16 default) keeps none, and its optimizer states and
    /// gradients in the parameters' dtype. nil = mixed for 16-bit formats (`Precision`).
    public var masterWeights: Bool?
    /// CPU offload of the optimizer (ZeRO-Offload) or of everything (ZeRO-3 offload, FSDP CPU offload).
    public var offload: OffloadKind = .none
    /// Optimizer step fused into the backward, each gradient freed once applied (torchtune
    /// `optimizer_in_bwd`): no gradient buffer.
    public var optimizerInBackward: Bool = false
    /// Each chain of elementwise ops (norm, rotary, activation, residual add, the loss's upcast)
    /// runs as one kernel, one read and one write (`KernelTraffic.fused`): torch.compile
    /// (TorchInductor fuses pointwise ops and reductions into Triton kernels; Ansel et al. 2024,
    /// "PyTorch 2", section 4), or hand-fused kernels (Apex / Transformer Engine in Megatron,
    /// flash-attn's fused RMSNorm, rotary and cross entropy as TinyLlama uses them). nil = the
    /// framework's kernels (`FrameworkProfile.kernels`: eager PyTorch for fsdp, deepspeed and
    /// torchtitan, whose compile is opt-in).
    public var fusedKernels: Bool?
    /// Sequence packing with document masking: several documents of this mean length (tokens)
    /// share one sequence and each attends only within itself (variable-length attention over
    /// `cu_seqlens`, Transformer Engine's THD format, as NeMo's `GPTSFTPackedDataset` feeds
    /// Megatron-Core's `PackedSeqParams`). The attention core's keys per query are then the
    /// document's length, not the sequence's (`LayerTimeModel`); everything per token is
    /// unchanged. nil = not packed: one document per sequence (or packed with a causal mask
    /// over the whole sequence, the pre-training default), which moves nothing.
    public var packedDocumentTokens: Int?
    /// The output projection returns the logits in this many chunks along the sequence and the
    /// loss upcasts and differentiates one chunk at a time (torchtune's `CEWithChunkedOutputLoss`,
    /// `num_output_chunks: 8`; `ChunkedLossMemory`). nil = the framework's own loss over the whole
    /// logits (`FrameworkProfile.lossPeakBytesPerLogit`): no framework chunks by default.
    public var lossOutputChunks: Int?
    /// The dtype of Adam's moments (and, where the framework says so, of the master copy and the
    /// main gradients): `SixteenBitOptimizerState`. nil = fp32, every framework's default.
    public var optimizerStateDtype: OptimizerStateDtype?
    /// The input embedding as a matmul: a one-hot of each token over the vocabulary times the
    /// table (MaxText `use_iota_embed: True`, `Embed.__call__`: `one_hot = inputs[..., None] ==
    /// lax.iota(vocab)`, `jnp.dot(one_hot, embedding)`), which the v5p scripts set. The table's
    /// vocabulary axis is sharded over the tensor axis (`vocab` -> `tensor`), so each chip
    /// multiplies tokens x V/t by V/t x h forward and again for the table's gradient backward
    /// (a one-hot has no gradient): `StageTimeModel`. nil = a gather (every framework's default).
    public var iotaEmbedding: Bool?
    /// The dtype the data-parallel gradient reduction runs in (`GradientReduceDtype`); nil = the
    /// framework's (`FrameworkProfile.gradientReduceBytes`, or the 16-bit optimizer's).
    public var gradientReduceDtype: GradientReduceDtype?
    /// FSDP's backward prefetch (`FSDPBackwardPrefetch`); nil = `pre`, PyTorch FSDP's default.
    public var backwardPrefetch: FSDPBackwardPrefetch?
    /// How the optimizer step runs (`OptimizerStepKernels`); nil = fused.
    public var optimizerStep: OptimizerStepKernels?
    /// Megatron-Core runs the routed experts as one Transformer Engine op sequence (its
    /// `use_transformer_engine_op_fuser` with `NVTE_CUTEDSL_FUSED_GROUPED_MLP=1`: fc1, the
    /// probability-scaled activation and fc2 with the probability-scaled fc2 bias, `scale_bias`,
    /// in TE's fused grouped MLP), so the experts' output bias moves no extra bytes
    /// (`ExpertBiasTraffic`); nil = `TEGroupedMLP`'s unfused bias path.
    public var fusedGroupedMLP: Bool?
    /// Transformer Engine's FP8 dot-product attention (Megatron-Bridge
    /// `mixed_precision.fp8_dot_product_attention`, TE's `fp8_dpa`): Q, K, V and the core's
    /// backward in FP8 through cuDNN. Its total time on a full causal core is the 16-bit one's
    /// (cuDNN-frontend's GB200 benchmark: MXFP8 0.326 + 1.305 ms against BF16 0.391 + 1.198 ms),
    /// but its backward does not skip a sliding window's masked tiles (`SlidingWindowAttention`).
    /// nil = 16-bit attention.
    public var fp8Attention: Bool?
    /// Megatron-Core's `recompute_modules` beside `recompute` (`RecomputeModule`: the MoE layers'
    /// pre-MLP norm and experts' activation re-run before the backward); nil = none.
    public var recomputeModules: [RecomputeModule]?
    /// QLoRA's parameters that stay unquantised (the embeddings, the output layer, the norms and
    /// biases) held in fp32: PEFT's `prepare_model_for_kbit_training` casts every fp16/bf16
    /// parameter that is not a bitsandbytes `Params4bit` to float32 ("cast all non INT8
    /// parameters to fp32", `peft/utils/other.py`), and TRL's `SFTTrainer` and the QLoRA
    /// reference script (artidoro/qlora `qlora.py`) call it on a 4-bit model. Autocast still runs
    /// their GEMMs in 16 bits. nil = they keep the model's dtype (torchtune, Megatron).
    public var fp32UnquantizedWeights: Bool?
    /// The loss upcasts the whole logits to fp32 and runs an eager cross entropy over them
    /// (Hugging Face's `ForCausalLMLoss`, `logits.float()` then `cross_entropy`; torchtune's
    /// unchunked loss over its decoder's `.float()` output):
    /// `FrameworkProfile.eagerUpcastLossPeakBytesPerLogit` at the backward's start, compiled or
    /// not (torchtune's Llama 3.2 3B table: compiling the model and the loss keeps 51.0 GiB, 8.1
    /// above the chunked loss's 42.9, 7.7 bytes a logit beyond the chunks' 2.25). nil = the
    /// framework's loss (`FrameworkProfile.lossPeakBytesPerLogit`). With a chunked loss
    /// (`lossOutputChunks`) the chunks reach it in fp32 (`ChunkedLossMemory` at 4 bytes): Lightning
    /// Fabric's `_FabricModule.forward` returns `precision.convert_output(output)`, which casts the
    /// model's floating outputs (LitGPT's list of logit chunks) to the default dtype, fp32.
    public var fp32LogitsLoss: Bool?
    /// The activations the layers keep for the backward (under activation checkpointing, the
    /// checkpointed layer inputs) are copied to host memory during the forward and back during
    /// the backward, on their own CUDA streams behind the compute (torchtune's
    /// `enable_activation_offloading`, `OffloadActivations`; Unsloth's
    /// `use_gradient_checkpointing="unsloth"`): `MemoryModel.activationParts`,
    /// `OffloadTime.exposedActivationCopies`. nil = kept on the GPU.
    public var activationOffload: Bool?
    /// The loss is computed from the last hidden states and the output layer's weight without
    /// materialising the logits: Cut Cross-Entropy (Wijmans et al. 2024, "Cut Your Losses in
    /// Large-Vocabulary Language Models"; Apple's ml-cross-entropy, which Unsloth uses) computes
    /// them block by block in on-chip memory, forward and backward, so the loss holds no bytes per
    /// logit. nil = the framework's loss.
    public var cutCrossEntropy: Bool?
    /// QLoRA's 4-bit linear layers keep their inputs for the backward, frozen or not:
    /// bitsandbytes' `MatMul4Bit.forward` stores `ctx.tensors = (A, B)` whenever any input needs
    /// a gradient (the activations always do), where PyTorch's `nn.Linear` with a frozen weight
    /// keeps none (`FineTuneMemory.unsavedInputs`). Hugging Face PEFT and LitGPT quantise with
    /// bitsandbytes; torchtune's torchao `linear_nf4` saves only the weight. nil = they keep none.
    public var quantisedLinearsKeepInputs: Bool?
    /// QLoRA's NF4 blocks' absmax constants are themselves quantised (double quantisation, Dettmers
    /// et al. 2023 section 3: about 4.127 bits a weight, `NF4Storage`), as PEFT's QLoRA scripts
    /// (`bnb_4bit_use_double_quant=True`) and torchao's NF4 (8-bit scalers in blocks of 256) do;
    /// false: fp32 constants, 4.5 bits a weight (Lightning's `BitsandbytesPrecision("nf4")`,
    /// `compress_statistics=False`, LitGPT's `--quantize bnb.nf4`). nil = double-quantised.
    public var nf4DoubleQuantisation: Bool?
    /// QLoRA quantises the output layer too (`QuantisedOutputLayer`): Lightning's
    /// `BitsandbytesPrecision` replaces every `torch.nn.Linear` created under its init context,
    /// the LM head included, where Hugging Face's bitsandbytes integration skips it
    /// (`llm_int8_skip_modules` / `get_keys_to_not_convert`) and torchtune quantises only the
    /// layers' projections. nil = the output layer stays 16-bit.
    public var quantisedOutputLayer: Bool?
    /// QLoRA's dequantised weight is cast to the compute dtype before its GEMM, two 16-bit copies
    /// at once (`NF4Dequantisation`): Lightning's `_Linear4bit._quantize_weight` quantises from
    /// `torch.half`, so bitsandbytes' `dequantize_4bit` returns fp16 (the `quant_state`'s dtype)
    /// and `MatMul4Bit` casts it to the bf16 input's dtype (`.to(A.dtype)`). nil = dequantised
    /// straight into the compute dtype (weights quantised from it).
    public var dequantisationCast: Bool?
    /// The input embedding holds a gradient that no optimizer steps or zeroes (`MemoryModel`): a
    /// dense vocabulary x hidden tensor in the weights' dtype, allocated at the first backward
    /// and kept. LitGPT's QLoRA (`litgpt/finetune/lora.py`) swaps in bitsandbytes'
    /// `StableEmbedding` after `mark_only_lora_as_trainable` and after building the optimizer,
    /// so the new table is trainable (`nn.Embedding`'s default) but in no parameter group.
    /// nil = the embedding's gradient is whatever its trainability gives.
    public var strayEmbeddingGradient: Bool?
    /// The adapted query, key and value projections are one linear layer with one adapter, so
    /// one dropout mask and one dropped input serve them (`FineTuneMemory.dropoutBytesPerToken`):
    /// LitGPT's `LoRAQKVLinear` over its fused `attn` (`F.linear(self.lora_dropout(x), self.lora_A)`
    /// with `lora_A` stacked for the enabled projections), PEFT on a model whose Q/K/V is one
    /// `query_key_value` linear (BLOOM, Falcon, GPT-NeoX). nil = one adapter per projection.
    public var fusedQKVAdapter: Bool?
    /// The training loop holds the previous micro-batch's outputs, and through them its autograd
    /// graph, until the next forward returns (`HeldPreviousGraph`): LitGPT's `fit` rebinds
    /// `logits = model(...)` only when the call returns. The previous logits and what the graph's
    /// nodes keep outside `save_for_backward` (bitsandbytes' `MatMul4Bit` inputs in
    /// `ctx.tensors`) are alive at the end of the next forward. nil = the previous micro-batch's
    /// graph is gone before the next forward (Hugging Face's `Trainer.training_step` returns
    /// `loss.detach()`; torchtune deletes its logits).
    public var previousGraphHeld: Bool?
    /// Q, K and V are views of one fused projection's output (LitGPT's `attn`, split by
    /// `view`/`permute`/`split`): under eager multi-head attention with RoPE, V's view keeps the
    /// whole output allocated beside the rotated copies of Q and K
    /// (`EagerSavedActivations.fusedQKVOutputBytesPerToken`). nil = separate Q, K and V
    /// projections (Hugging Face, torchtune, torchtitan).
    public var fusedQKVProjection: Bool?

    /// Bytes per element of the tensors a layer saves for its backward: the precision's, or 4 when
    /// a QLoRA model's unquantised weights were upcast to fp32 (`fp32UnquantizedWeights`): the fp32
    /// embedding table puts the residual stream in fp32, the fp32 norm weights keep it there, and
    /// bitsandbytes' `Linear4bit` returns its output in its input's dtype (`.to(inp_dtype)`), so
    /// the layer inputs a checkpoint keeps and the projections' outputs are fp32 (autocast casts
    /// attention's inputs to 16 bits, a share counted here at fp32 too).
    public var savedActivationBytes: Double {
        fineTuning.method == .qlora && fp32UnquantizedWeights == true
            ? max(precision.activationBytes, Precision.fp32.activationBytes) : precision.activationBytes
    }

    /// Keys each query of a `seq`-token sequence attends over: the packed documents' mean
    /// length when packing with document masking, capped at the sequence.
    public func attentionKeys(seq: Int) -> Double {
        guard let document = packedDocumentTokens, document > 0 else { return Double(seq) }
        return Double(min(document, seq))
    }

    public init(framework: Framework = .megatronCore, precision: Precision = .bf16, optimizer: OptimizerKind = .adam,
                recompute: Recompute = .none, remat: RematPolicy? = nil, flashAttention: Bool? = nil, overlapGradReduce: Bool? = nil,
                overlapParamGather: Bool? = nil, overlapTPComm: Bool? = nil) {
        self.framework = framework
        self.precision = precision
        self.optimizer = optimizer
        self.recompute = recompute
        self.remat = remat
        self.flashAttention = flashAttention
        self.overlapGradReduce = overlapGradReduce
        self.overlapParamGather = overlapParamGather
        self.overlapTPComm = overlapTPComm
    }

    /// Peak bytes per logit the loss holds at TP degree `tp`: none under Cut Cross-Entropy; the chunked loss's
    /// (`ChunkedLossMemory`, compiled when the recipe's kernels are) when `lossOutputChunks` is
    /// set, else the fp32 upcast loss's when `fp32LogitsLoss` is, else the framework's
    /// (`FrameworkProfile.peakLossBytesPerLogit(tp:)`).
    public func peakLossBytesPerLogit(tp: Int) -> Double {
        if cutCrossEntropy == true { return 0 }
        guard let chunks = lossOutputChunks, chunks > 0 else {
            return fp32LogitsLoss == true ? FrameworkProfile.eagerUpcastLossPeakBytesPerLogit
                : framework.profile.peakLossBytesPerLogit(tp: tp)
        }
        let chunkBytes = fp32LogitsLoss == true ? Precision.fp32.activationBytes : precision.activationBytes
        return ChunkedLossMemory.peakBytesPerLogit(chunks: chunks, activationBytes: chunkBytes,
                                                   compiled: effectiveFusedKernels)
    }

    /// The remat policy the memory and time formulas follow, or nil for Megatron's
    /// recomputation (`Recompute`): the stated policy, else for a JAX framework the MaxText
    /// policy `recompute` stands for (none -> none, selective -> minimal, which like Megatron's
    /// selective recomputation keeps every projection and recomputes the attention core, full ->
    /// full).
    public var effectiveRemat: RematPolicy? {
        if let remat { return remat }
        guard framework.profile.jaxSharding else { return nil }
        switch recompute {
        case .none: return RematPolicy.none
        case .selective: return .minimal
        case .full: return .full
        }
    }
    /// torchtitan's per-op selective checkpointing (`SelectiveOpCheckpoint`) applies: selective
    /// recomputation in a framework whose selective policy is by op, with no JAX remat policy.
    public var usesSelectiveOpCheckpoint: Bool {
        effectiveRemat == nil && recompute == .selective && framework.profile.selectiveRecompute == .everyOtherMatmul
    }
    /// Whether fp32 master weights are kept (`masterWeights`, else the precision's mixed default).
    public var keepsMasterWeights: Bool { masterWeights ?? (precision.masterWeightBytes > 0) }

    public var effectiveFlashAttention: Bool { flashAttention ?? framework.profile.usesFlashAttention }
    public var effectiveFusedKernels: Bool { fusedKernels ?? (framework.profile.kernels == .fused) }
    /// HBM bytes the memory-bound kernels move per element: fused, or the framework's eager ones.
    public var kernels: KernelTraffic {
        if effectiveFusedKernels { return .fused }
        return framework.profile.kernels == .fused ? .eager : framework.profile.kernels
    }
    public var effectiveOverlapGradReduce: Bool { overlapGradReduce ?? framework.profile.overlapsGradReduce }
    public var effectiveOverlapParamGather: Bool { overlapParamGather ?? framework.profile.overlapsParamGather }
    public var effectiveOverlapTPComm: Bool { overlapTPComm ?? framework.profile.overlapsTPComm }
    public var effectiveOverlapEPComm: Bool { overlapEPComm ?? framework.profile.overlapsEPComm }

    /// Whether the TP collectives are overlapped in `layout`: the switch, and sequence
    /// parallelism, which the overlap needs: Megatron-LM asserts it (`arguments.py`: "Tensor
    /// parallel communication/GEMM overlap can happen only when sequence parallelism is
    /// enabled"), NeMo turns `ub_tp_comm_overlap` off without it (r2.0.0rc1
    /// `megatron_base_model.py`: "Pipelined tensor-parallel communication overlap is available
    /// with sequence-parallelism"), and torchtitan's async TP fuses the sequence-parallel
    /// all-gathers and reduce-scatters; otherwise the all-reduces run in series.
    public func overlapsTPComm(in layout: ParallelLayout) -> Bool {
        overlapsTPComm(sequenceParallel: layout.sequenceParallel)
    }

    /// `overlapsTPComm(in:)` for a layout with or without sequence parallelism.
    public func overlapsTPComm(sequenceParallel: Bool) -> Bool {
        effectiveOverlapTPComm && sequenceParallel
    }

    /// Whether the EP all-to-alls are overlapped in `layout`: the switch, and what Megatron-Core
    /// asserts for it (`TransformerConfig`: EP > 1, virtual stages when PP > 1, no full
    /// recomputation); otherwise they run in series.
    public func overlapsEPComm(in layout: ParallelLayout) -> Bool {
        effectiveOverlapEPComm && layout.ep > 1 && (layout.pp == 1 || layout.vpp > 1) && recompute != .full
    }

    /// Sequence parallelism for a layout of TP size `tp`: as `given`, else the framework's default
    /// (`FrameworkProfile.sequenceParallelByDefault`); never without TP, where there is nothing to split.
    public func sequenceParallel(given: Bool?, tp: Int) -> Bool {
        guard tp > 1 else { return false }
        return given ?? framework.profile.sequenceParallelByDefault
    }

    /// The same recipe with every optional switch replaced by its resolved value.
    public var resolved: TrainingRecipe {
        var copy = self
        copy.flashAttention = effectiveFlashAttention
        copy.fusedKernels = effectiveFusedKernels
        copy.overlapGradReduce = effectiveOverlapGradReduce
        copy.overlapParamGather = effectiveOverlapParamGather
        copy.overlapTPComm = effectiveOverlapTPComm
        copy.overlapEPComm = effectiveOverlapEPComm
        copy.masterWeights = keepsMasterWeights
        return copy
    }
}

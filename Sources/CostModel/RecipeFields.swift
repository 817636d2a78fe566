/// Every field of `TrainingRecipe`, described once: its key (the JSON key of the `recipe` echo),
/// its CLI flag, its help, the values it accepts, how it reads (resolved) and sets the recipe,
/// and whether the one-line summary of the tables names it. The JSON echo (`RecipeEcho`), its
/// decoding, the CLI's help texts, `--recipe key=value` (`RecipeAssignment`) and the tables'
/// summary line are generated from this list, so a new recipe knob is a stored property, one
/// entry here and its formula (ARCHITECTURE.md, Adding a knob).
public struct RecipeField: Sendable {
    /// Snake-case key of the JSON echo.
    public let key: String
    /// The CLI's long flag, without dashes in front.
    public let flag: String
    public let help: String
    /// Accepted values, in the order `--help` lists them (empty for a structured field).
    public let values: [String]
    /// Named in the one-line summary of `estimate`, `simulate` and `plan` tables.
    public let inSummary: Bool
    /// The field's resolved value as a user types it, or nil when the echo omits it.
    public let text: @Sendable (TrainingRecipe) -> String?
    /// Sets the field from its text; false when the text is not a value the field accepts (or
    /// the field has no one-word form).
    public let parse: @Sendable (inout TrainingRecipe, String) -> Bool
    /// Writes the resolved value under `key` (omitted when nil), and reads it back.
    let encode: @Sendable (TrainingRecipe, inout KeyedEncodingContainer<RecipeFieldKey>) throws -> Void
    let decode: @Sendable (inout TrainingRecipe, KeyedDecodingContainer<RecipeFieldKey>, RecipeFieldKey) throws -> Void

    /// A field of any Codable type: `resolved` gives the value the echo shows (nil: omitted),
    /// `assign` stores a value read back; `word` / `fromWord` its one-word form, if it has one.
    static func coded<T: Codable & Sendable>(
        _ key: String, flag: String? = nil, values: [String] = [], inSummary: Bool = false, help: String,
        resolved: @escaping @Sendable (TrainingRecipe) -> T?, assign: @escaping @Sendable (inout TrainingRecipe, T) -> Void,
        word: @escaping @Sendable (T) -> String? = { _ in nil }, fromWord: @escaping @Sendable (String) -> T? = { _ in nil }
    ) -> RecipeField {
        RecipeField(
            key: key, flag: flag ?? key.replacingOccurrences(of: "_", with: "-"), help: help, values: values,
            inSummary: inSummary, text: { resolved($0).flatMap(word) },
            parse: { recipe, text in
                guard let value = fromWord(text) else { return false }
                assign(&recipe, value)
                return true
            },
            encode: { recipe, container in
                if let value = resolved(recipe) { try container.encode(value, forKey: RecipeFieldKey(stringValue: key)) }
            },
            decode: { recipe, container, found in assign(&recipe, try container.decode(T.self, forKey: found)) })
    }

    /// A field holding one of an enumeration's raw values.
    static func choice<T: RawRepresentable & CaseIterable & Codable & Sendable>(
        _ key: String, flag: String? = nil, inSummary: Bool = false, help: String,
        resolved: @escaping @Sendable (TrainingRecipe) -> T?, assign: @escaping @Sendable (inout TrainingRecipe, T) -> Void
    ) -> RecipeField where T.RawValue == String {
        coded(key, flag: flag, values: T.allCases.map(\.rawValue), inSummary: inSummary, help: help, resolved: resolved,
              assign: assign, word: { $0.rawValue }, fromWord: { T(rawValue: $0) })
    }

    /// An on/off switch left out of the echo while unset (nil: the framework's behaviour).
    static func optionalToggle(_ key: String, help: String,
                               resolved: @escaping @Sendable (TrainingRecipe) -> Bool?,
                               assign: @escaping @Sendable (inout TrainingRecipe, Bool) -> Void) -> RecipeField {
        coded(key, values: ["true", "false"], help: help, resolved: resolved, assign: assign,
              word: { $0 ? "true" : "false" }, fromWord: { ["true": true, "false": false][$0] })
    }

    /// An on/off switch.
    static func toggle(_ key: String, flag: String? = nil, help: String,
                       resolved: @escaping @Sendable (TrainingRecipe) -> Bool,
                       assign: @escaping @Sendable (inout TrainingRecipe, Bool) -> Void) -> RecipeField {
        coded(key, flag: flag, values: ["true", "false"], help: help, resolved: resolved, assign: assign,
              word: { $0 ? "true" : "false" }, fromWord: { ["true": true, "false": false][$0] })
    }
}

/// A key of the `recipe` JSON object.
public struct RecipeFieldKey: CodingKey, Sendable {
    public var stringValue: String
    public var intValue: Int? { nil }
    public init(stringValue: String) { self.stringValue = stringValue }
    public init?(intValue: Int) { nil }
    /// The key without underscores, lower case: matches `flash_attention` as written and
    /// `flashAttention` as a snake-case-converting decoder presents it.
    var folded: String { stringValue.replacingOccurrences(of: "_", with: "").lowercased() }
}

extension TrainingRecipe {
    /// The recipe's fields, in the order tables and `--help` show them.
    public static let fields: [RecipeField] = [
        .choice("framework", inSummary: true,
                help: "Framework whose kernels, overlap behaviour and overheads to assume: megatron-lm, megatron-core, megatron-deepspeed, deepspeed, fsdp, torchtitan, maxtext.",
                resolved: { $0.framework }, assign: { $0.framework = $1 }),
        .choice("precision", inSummary: true,
                help: "Numeric format: fp32, bf16 (default), fp16, fp8, mxfp8, nvfp4. Sets the bytes kept per weight, activation, gradient and master weight, and the format of the linear layers' GEMMs: fp8 and mxfp8 at the FP8 peak, nvfp4 at FP4, fp32 at FP32, their inputs quantised first; attention, embeddings and the output layer stay 16-bit.",
                resolved: { $0.precision }, assign: { $0.precision = $1 }),
        .choice("optimizer", inSummary: true,
                help: "Optimizer state kept per parameter: adam, adam-8bit, paged-adam, paged-adam-8bit (states paged to host memory), adafactor, sgd.",
                resolved: { $0.optimizer }, assign: { $0.optimizer = $1 }),
        .coded("fine_tuning", flag: "finetune", values: FinetuneMethod.allCases.map(\.rawValue),
               help: "What is trained: full (default), lora, qlora (LoRA over an NF4 base), freeze (embeddings frozen).",
               resolved: { $0.fineTuning }, assign: { $0.fineTuning = $1 }, word: { $0.method.rawValue },
               fromWord: { FinetuneMethod(rawValue: $0).map { FineTuning(method: $0) } }),
        .toggle("master_weights",
                help: "Keep fp32 master weights (true: mixed precision, the default for 16-bit formats; false: pure 16-bit training, optimizer states and gradients in the weights' dtype, as torchtune).",
                resolved: { $0.keepsMasterWeights }, assign: { $0.masterWeights = $1 }),
        .choice("offload",
                help: "CPU offload: none (default), optimizer (ZeRO-Offload: master weights, optimizer states, gradients in host memory), all (also the weights: ZeRO-3 offload, FSDP CPU offload).",
                resolved: { $0.offload }, assign: { $0.offload = $1 }),
        .toggle("optimizer_in_backward",
                help: "Apply the optimizer step inside the backward and free each gradient (torchtune optimizer_in_bwd): no gradient buffer.",
                resolved: { $0.optimizerInBackward }, assign: { $0.optimizerInBackward = $1 }),
        .choice("recompute", help: "Activation recomputation: none, selective (attention core) or full (whole layer).",
                resolved: { $0.recompute }, assign: { $0.recompute = $1 }),
        .choice("remat", flag: "remat-policy",
                help: "A JAX remat policy as MaxText names it (none, minimal, save_dot_with_context_except_mlp, save_dot_except_mlpwi, save_dot_except_mlp, save_qkv_proj, save_out_proj, full); default with --framework maxtext: the one --recompute stands for.",
                resolved: { $0.effectiveRemat }, assign: { $0.remat = $1 }),
        .toggle("flash_attention",
                help: "Fused flash attention (no s x s scores in memory); default: the framework's (on except megatron-lm and megatron-deepspeed).",
                resolved: { $0.effectiveFlashAttention }, assign: { $0.flashAttention = $1 }),
        .toggle("fused_kernels",
                help: "Fuse each chain of elementwise ops into one kernel: torch.compile, or hand-fused kernels (true/false; default: the framework's, fused for megatron-*, nemo and maxtext, eager PyTorch for fsdp, deepspeed and torchtitan).",
                resolved: { $0.effectiveFusedKernels }, assign: { $0.fusedKernels = $1 }),
        .coded("packed_document_tokens",
               help: "Sequence packing with document masking (cu_seqlens / THD attention): the packed documents' mean length in tokens, so each query attends over its document only; default: not packed (attention over the whole sequence).",
               resolved: { $0.packedDocumentTokens }, assign: { $0.packedDocumentTokens = $1 },
               word: { String($0) }, fromWord: { Int($0).flatMap { $0 > 0 ? $0 : nil } }),
        .coded("loss_output_chunks", values: ["<positive integer>"],
               help: "The output layer returns the logits in this many chunks and the loss upcasts them to fp32 one chunk at a time (torchtune's CEWithChunkedOutputLoss, 8 chunks): the loss holds the model-dtype logits (+1/n for a chunk's gradient) when compiled, and also each chunk's fp32 log-softmax when eager; default: the framework's loss over the whole logits.",
               resolved: { $0.lossOutputChunks }, assign: { $0.lossOutputChunks = $1 },
               word: { String($0) }, fromWord: { Int($0).flatMap { $0 > 0 ? $0 : nil } }),
        .optionalToggle("iota_embedding",
               help: "The input embedding as a one-hot matmul over the vocabulary (MaxText use_iota_embed=true): tokens x V/t by V/t x h forward and for the table's gradient; default: a gather.",
               resolved: { $0.iotaEmbedding }, assign: { $0.iotaEmbedding = $1 }),
        .choice("optimizer_state_dtype",
                help: "Dtype of Adam's moments: fp32 (default) or bf16 (nemo: distributed_fused_adam optim.dtype/grad_sync_dtype bf16, no master copy beside bf16 weights; megatron-core: --use-precision-aware-optimizer with bf16 moments and main gradients, the fp32 master kept as 16-bit remainders); gradients then bf16 too.",
                resolved: { $0.optimizerStateDtype }, assign: { $0.optimizerStateDtype = $1 }),
        .optionalToggle("fused_grouped_mlp",
               help: "Megatron-Core's routed experts as one Transformer Engine op sequence (use_transformer_engine_op_fuser with NVTE_CUTEDSL_FUSED_GROUPED_MLP=1): the router-weighted fc2 bias inside TE's grouped GEMM; default: TEGroupedMLP, which adds that bias unfused after the GEMM.",
               resolved: { $0.fusedGroupedMLP }, assign: { $0.fusedGroupedMLP = $1 }),
        .optionalToggle("fp8_attention",
               help: "Transformer Engine's FP8 dot-product attention (fp8_dot_product_attention): the same time as 16-bit on a full causal core, but its backward computes a sliding window's whole causal core; default: 16-bit attention.",
               resolved: { $0.fp8Attention }, assign: { $0.fp8Attention = $1 }),
        .coded("recompute_modules", values: ["<comma-separated: layernorm, moe_act>"],
               help: "Megatron-Core's recompute_modules of memory-bound modules: layernorm (an MoE layer's pre-MLP norm), moe_act (the experts' activation), re-run before the backward beside --recompute; default: none.",
               resolved: { $0.recomputeModules }, assign: { $0.recomputeModules = $1 },
               word: { $0.map(\.rawValue).joined(separator: ",") }, fromWord: { RecomputeModule.list($0) }),
        .optionalToggle("fp32_unquantized_weights",
               help: "QLoRA: the parameters bitsandbytes leaves unquantised (embeddings, output layer, norms) held in fp32, as PEFT's prepare_model_for_kbit_training casts them (TRL's SFTTrainer and the QLoRA scripts call it); default: the model's dtype.",
               resolved: { $0.fp32UnquantizedWeights }, assign: { $0.fp32UnquantizedWeights = $1 }),
        .optionalToggle("fp32_logits_loss",
               help: "The loss upcasts the whole logits to fp32 before an eager cross entropy (Hugging Face's ForCausalLMLoss, torchtitan's train step): 12 bytes per logit at the backward's start; with loss_output_chunks, the chunks reach the loss in fp32 (Lightning Fabric's output cast: LitGPT); default: the framework's loss.",
               resolved: { $0.fp32LogitsLoss }, assign: { $0.fp32LogitsLoss = $1 }),
        .optionalToggle("activation_offload",
               help: "Copy the activations the layers keep (the checkpointed layer inputs under --recompute full) to host memory in the forward and back in the backward, behind the compute (torchtune's enable_activation_offloading, Unsloth's gradient checkpointing): the GPU keeps two layers' worth; default: kept on the GPU.",
               resolved: { $0.activationOffload }, assign: { $0.activationOffload = $1 }),
        .optionalToggle("cut_cross_entropy",
               help: "The loss from the last hidden states and the output layer without materialising the logits (Cut Cross-Entropy, Wijmans et al. 2024; Unsloth): no bytes per logit; default: the framework's loss.",
               resolved: { $0.cutCrossEntropy }, assign: { $0.cutCrossEntropy = $1 }),
        .optionalToggle("quantised_linears_keep_inputs",
               help: "QLoRA's 4-bit linear layers keep their inputs for the backward even where frozen (bitsandbytes' MatMul4Bit, which Hugging Face PEFT and LitGPT use); default: they keep none (torchtune's torchao NF4).",
               resolved: { $0.quantisedLinearsKeepInputs }, assign: { $0.quantisedLinearsKeepInputs = $1 }),
        .optionalToggle("nf4_double_quantisation",
               help: "QLoRA's NF4 block constants double-quantised, about 4.127 bits a weight (QLoRA paper, PEFT's bnb_4bit_use_double_quant=True, torchao NF4); false: fp32 constants, 4.5 bits (LitGPT's --quantize bnb.nf4); default: true.",
               resolved: { $0.nf4DoubleQuantisation }, assign: { $0.nf4DoubleQuantisation = $1 }),
        .optionalToggle("quantised_output_layer",
               help: "QLoRA quantises the output layer (LM head) too, and dequantises it for each call of the output layer (Lightning's BitsandbytesPrecision replaces every nn.Linear: LitGPT); default: the output layer stays 16-bit (Hugging Face PEFT, torchtune).",
               resolved: { $0.quantisedOutputLayer }, assign: { $0.quantisedOutputLayer = $1 }),
        .optionalToggle("dequantisation_cast",
               help: "QLoRA's dequantised weight comes out in fp16 and is cast to the bf16 compute dtype, two copies at once (LitGPT: Lightning quantises from torch.half); default: dequantised straight into the compute dtype.",
               resolved: { $0.dequantisationCast }, assign: { $0.dequantisationCast = $1 }),
        .optionalToggle("stray_embedding_gradient",
               help: "The input embedding keeps a dense gradient no optimizer steps (LitGPT's QLoRA swaps in bitsandbytes' StableEmbedding after freezing the model and building the optimizer); default: none beyond what its trainability gives.",
               resolved: { $0.strayEmbeddingGradient }, assign: { $0.strayEmbeddingGradient = $1 }),
        .optionalToggle("previous_graph_held",
               help: "The training loop holds the previous micro-batch's logits, and so its autograd graph, until the next forward returns (LitGPT's fit loop): the previous logits and the 4-bit linears' inputs bitsandbytes keeps in ctx.tensors are alive at the next forward's end; default: freed before the next forward.",
               resolved: { $0.previousGraphHeld }, assign: { $0.previousGraphHeld = $1 }),
        .optionalToggle("fused_qkv_projection",
               help: "Q, K and V are views of one fused projection's output (LitGPT's attn): under eager multi-head attention with RoPE, V's view keeps the whole output beside the rotated Q and K; default: separate projections.",
               resolved: { $0.fusedQKVProjection }, assign: { $0.fusedQKVProjection = $1 }),
        .optionalToggle("fused_qkv_adapter",
               help: "The adapted Q/K/V projections are one linear layer with one adapter: one dropout mask and one dropped input for all three (LitGPT's LoRAQKVLinear; PEFT on BLOOM's or Falcon's query_key_value); default: one adapter per projection.",
               resolved: { $0.fusedQKVAdapter }, assign: { $0.fusedQKVAdapter = $1 }),
        .choice("gradient_reduce_dtype",
                help: "Dtype of the data-parallel gradient reduction: fp32 or bf16 (FSDP MixedPrecision reduce_dtype: Composer's mixed_precision DEFAULT reduces in fp32, PURE in bf16); default: the framework's (fp32 main gradients for megatron-*, nemo, torchtitan and maxtext, 16-bit for fsdp and deepspeed).",
                resolved: { $0.gradientReduceDtype }, assign: { $0.gradientReduceDtype = $1 }),
        .choice("backward_prefetch",
                help: "FSDP's backward prefetch (PyTorch BackwardPrefetch): pre (BACKWARD_PRE, PyTorch's default: gathers and reduce-scatters hidden behind the backward), post (BACKWARD_POST, Composer's default: each unit's gather in series, its reduce-scatter hidden) or none (both in series); default: pre.",
                resolved: { $0.backwardPrefetch }, assign: { $0.backwardPrefetch = $1 }),
        .choice("optimizer_step",
                help: "How the Adam step runs: fused (one kernel per tensor group: Apex/TE FusedAdam, torch AdamW fused=True) or per-op (one kernel per operation, each a pass over the fp32 states: Composer's DecoupledAdamW, llm-foundry's optimizer); default: fused.",
                resolved: { $0.optimizerStep }, assign: { $0.optimizerStep = $1 }),
        .toggle("overlap_grad_reduce",
                help: "Overlap the DP gradient reduction with the backward pass (true/false; default: the framework's).",
                resolved: { $0.effectiveOverlapGradReduce }, assign: { $0.overlapGradReduce = $1 }),
        .toggle("overlap_param_gather", help: "Overlap ZeRO/FSDP parameter all-gathers with compute (true/false).",
                resolved: { $0.effectiveOverlapParamGather }, assign: { $0.overlapParamGather = $1 }),
        .toggle("overlap_tp_comm", help: "Overlap TP collectives with the GEMMs (true/false).",
                resolved: { $0.effectiveOverlapTPComm }, assign: { $0.overlapTPComm = $1 }),
        .toggle("overlap_ep_comm",
                help: "Overlap the MoE token all-to-alls of one micro-batch with another's compute (Megatron-Core overlap_moe_expert_parallel_comm; true/false; default: off, Megatron-Core's, which NeMo's recipes turn on per model and release).",
                resolved: { $0.effectiveOverlapEPComm }, assign: { $0.overlapEPComm = $1 }),
    ]

    /// The field with this key, or nil.
    public static func field(_ key: String) -> RecipeField? { fields.first { $0.key == key } }

    /// The help text of the field with this key (the CLI's options read it).
    public static func help(_ key: String) -> String { field(key)?.help ?? "" }

    /// "megatron-core, bf16, adam": the fields the tables' first line names, resolved.
    public var summary: String {
        Self.fields.filter(\.inSummary).compactMap { $0.text(self) }.joined(separator: ", ")
    }
}

import CostModel
import Workloads

/// A plan as a complete `pretrain_gpt.py` command line for Megatron-LM / megatron-core 0.19.x
/// (`megatron/training/arguments.py`, `TransformerConfig.__post_init__`), plus the launch
/// environment it asserts. Every flag and rule below was read from the 0.19.2 wheel; the
/// per-feature table is Tests/emit/README.md. A plan Megatron cannot express throws `EmitError`.
public enum MegatronArguments {
    public static let targetVersion = "megatron-core 0.19.x"

    /// The arguments, one group per line (model, precision, layout, overlap, batch, run).
    public static func argumentLines(_ plan: Estimate, model: TransformerModel, gpuArchMajor: Int) throws -> [[String]] {
        try LaunchArguments.requireFullTraining(plan, target: "megatron")
        try LaunchArguments.requireFusedKernels(plan, target: "megatron")
        try LaunchArguments.requireFrameworkCommunication(plan, target: "megatron")
        let l = plan.layout
        var lines = [try modelArguments(model, seq: l.seq, gpuArchMajor: gpuArchMajor)]
        lines.append(["--tokenizer-type", "NullTokenizer", "--vocab-size", "\(model.vocab)", "--mock-data"])
        lines.append(["--attention-backend", l.flashAttention ? "flash" : "unfused"] + (try precision(plan.recipe.precision, gpuArchMajor: gpuArchMajor)))
        lines += try layoutArguments(plan, model: model)
        lines.append(["--micro-batch-size", "\(l.microBatch)", "--global-batch-size", "\(l.globalBatch)"])
        // Not part of the plan: a run needs them to parse. The optimizer is Adam (the cost model's
        // default state: 2 fp32 moments, bf16 with optimizer_state_dtype: `precisionAwareOptimizer`); the values are Llama 3's (arXiv:2407.21783 §3.4.1).
        lines.append(["--train-iters", "1000", "--lr", "3e-4", "--min-lr", "3e-5", "--lr-decay-style", "cosine",
                      "--lr-warmup-iters", "100", "--weight-decay", "0.1", "--clip-grad", "1.0",
                      "--adam-beta1", "0.9", "--adam-beta2", "0.95"])
        return lines
    }

    /// `KEY=VALUE` lines of the launch environment. Megatron asserts CUDA_DEVICE_MAX_CONNECTIONS=1
    /// with TP or CP > 1 before Blackwell (sm < 10) so that kernels queue in issue order and the
    /// TP/CP communication overlaps compute as scheduled; Megatron-FSDP instead needs more than
    /// one connection (it warns when it is 1), so it is left at CUDA's default there.
    public static func environment(_ plan: Estimate, gpuArchMajor: Int) -> [String] {
        let l = plan.layout
        guard (l.tp > 1 || l.cp > 1), gpuArchMajor < 10, l.zero < 2 else { return [] }
        return ["CUDA_DEVICE_MAX_CONNECTIONS=1"]
    }

    /// The whole launch text: version, environment and the argument lines.
    public static func text(_ plan: Estimate, model: TransformerModel, gpuArchMajor: Int) throws -> String {
        let lines = try argumentLines(plan, model: model, gpuArchMajor: gpuArchMajor)
        var out = ["# \(targetVersion): torchrun ... pretrain_gpt.py <arguments>"]
        out += environment(plan, gpuArchMajor: gpuArchMajor).map { "export \($0)" }
        out.append(argumentsFile(lines))
        return out.joined(separator: "\n")
    }

    /// The argument lines joined with shell continuations (the harness's `megatron.args`).
    public static func argumentsFile(_ lines: [[String]]) -> String {
        lines.filter { !$0.isEmpty }.map { $0.joined(separator: " ") }.joined(separator: " \\\n")
    }

    static func precision(_ precision: Precision, gpuArchMajor: Int) throws -> [String] {
        switch precision {
        case .fp32: return []
        case .bf16: return ["--bf16"]
        case .fp16: return ["--fp16"]
        // Transformer Engine FP8: E4M3 forward, E5M2 gradients ("hybrid"), delayed scaling,
        // master weights and the non-GEMM ops in bf16.
        case .fp8: return ["--bf16", "--fp8-format", "hybrid", "--fp8-recipe", "delayed"]
        case .mxfp8:
            // MX block scaling is a Blackwell tensor-core format (Transformer Engine: sm 10+).
            guard gpuArchMajor >= 10 else {
                throw EmitError("--emit megatron: mxfp8 needs Blackwell (compute capability 10) tensor cores; this GPU has \(gpuArchMajor)")
            }
            return ["--bf16", "--fp8-format", "e4m3", "--fp8-recipe", "mxfp8"]
        case .nvfp4: throw EmitError("--emit megatron: nvfp4 training is not a megatron-core 0.19 pretrain_gpt.py option")
        }
    }

    static func modelArguments(_ model: TransformerModel, seq: Int, gpuArchMajor: Int) throws -> [String] {
        guard !model.isEncoderDecoder else {
            throw EmitError("--emit megatron: \(model.name) is encoder-decoder; pretrain_gpt.py builds a decoder-only GPT")
        }
        guard model.mla == nil else {
            throw EmitError("--emit megatron: \(model.name) uses multi-latent attention, which Loom does not emit for pretrain_gpt.py")
        }
        var args = ["--num-layers", "\(model.layers)", "--hidden-size", "\(model.hidden)",
                    "--ffn-hidden-size", "\(model.ffn)", "--num-attention-heads", "\(model.heads)"]
        if model.kvHeads != model.heads { args += ["--group-query-attention", "--num-query-groups", "\(model.kvHeads)"] }
        if model.headDim * model.heads != model.hidden { args += ["--kv-channels", "\(model.headDim)"] }
        if ModelFamilyFacts.qkNorm(model) { args.append("--qk-layernorm") }
        args += ["--seq-length", "\(seq)", "--max-position-embeddings", "\(max(model.maxSeq, seq))"]
        switch model.position {
        case .rotary:
            args += ["--position-embedding-type", "rope", "--rotary-base", ModelFamilyFacts.ropeBase(model)]
            if ModelFamilyFacts.llama3RopeScaling(model) { args.append("--use-rope-scaling") }
        case .learned: args += ["--position-embedding-type", "learned_absolute"]
        case .none: args += ["--position-embedding-type", "none"]
        default:
            throw EmitError("--emit megatron: \(model.position.rawValue) position embeddings are not a Megatron --position-embedding-type")
        }
        switch model.mlp {
        case .swiglu: args.append("--swiglu")
        case .gelu: break
        case .squaredRelu: args.append("--squared-relu")
        default: throw EmitError("--emit megatron: a \(model.mlp.rawValue) MLP is not a Megatron activation flag")
        }
        if model.norm == .rmsnorm { args += ["--normalization", "RMSNorm"] }
        args += ["--norm-epsilon", ModelFamilyFacts.normEpsilon(model)]
        if !model.linearBias {
            args.append("--disable-bias-linear")
            if model.qkvBias { args.append("--add-qkv-bias") }
        }
        if !model.tiedEmbeddings { args.append("--untie-embeddings-and-output-weights") }
        args += ["--attention-dropout", "0.0", "--hidden-dropout", "0.0"]
        if let moe = model.moe {
            args += ["--num-experts", "\(moe.experts)", "--moe-router-topk", "\(moe.expertsPerToken)",
                     "--moe-ffn-hidden-size", "\(moe.expertFFN)", "--moe-router-load-balancing-type", "aux_loss",
                     "--moe-aux-loss-coeff", "1e-3", "--moe-token-dispatcher-type", "alltoall"]
            if moe.sharedExperts > 0 {
                args += ["--moe-shared-expert-intermediate-size", "\(moe.sharedExperts * moe.sharedExpertFFN)"]
            }
            if model.moeLayerCount != model.layers {
                // A Python list expression, as `--moe-layer-freq` takes it: 1 = MoE layer.
                let pattern = (0..<model.layers).map { model.isMoELayer($0) ? "1" : "0" }
                args += ["--moe-layer-freq", "[" + pattern.joined(separator: ",") + "]"]
            }
            // Grouped GEMM needs compute capability >= 8 (Megatron asserts it).
            if gpuArchMajor >= 8 { args.append("--moe-grouped-gemm") }
        }
        return args
    }

    /// bf16 optimizer states as Megatron's precision-aware optimizer (`arguments.py`): bf16 moments
    /// and main gradients, the fp32 main parameters at their default (kept as 16-bit remainders
    /// beside bf16 weights, `store_param_remainders`), which is what the megatron-core estimate
    /// counts (`SixteenBitOptimizerState`). Megatron raises without the distributed optimizer;
    /// nemo's estimate keeps no master copy, which Megatron cannot express.
    static func precisionAwareOptimizer(_ plan: Estimate) throws -> [String] {
        guard plan.recipe.recipe.optimizerStateDtype == .bf16 else { return [] }
        guard plan.recipe.framework == .megatronCore else {
            throw EmitError("--emit megatron: optimizer_state_dtype bf16 was estimated for \(plan.recipe.framework.rawValue), not megatron-core's precision-aware optimizer (16-bit master remainders)")
        }
        guard plan.layout.zero == 1 else {
            throw EmitError("--emit megatron: optimizer_state_dtype bf16 needs the distributed optimizer (ZeRO-1), not ZeRO-\(plan.layout.zero) (--use-precision-aware-optimizer only supported with distributed optimizer)")
        }
        return ["--use-precision-aware-optimizer", "--main-grads-dtype", "bf16", "--exp-avg-dtype", "bf16",
                "--exp-avg-sq-dtype", "bf16"]
    }

    static func layoutArguments(_ plan: Estimate, model: TransformerModel) throws -> [[String]] {
        let l = plan.layout
        var lines: [[String]] = []
        if l.tp > 1 { lines.append(["--tensor-model-parallel-size", "\(l.tp)"] + (l.sequenceParallel ? ["--sequence-parallel"] : [])) }
        if l.pp > 1 {
            var pp = ["--pipeline-model-parallel-size", "\(l.pp)"]
            if l.pp * l.vpp > model.layers {
                // More virtual stages than layers: the embedding and the loss count as a layer
                // each (`FrameworkProfile.countsEmbeddingAndLossInPipelineSplit`), as NeMo's
                // Llama 3.1 405B recipes split 126 layers over PP 16 x VP 8.
                guard (model.layers + 2) % (l.pp * l.vpp) == 0 else {
                    throw EmitError("--emit megatron: \(model.layers) layers + the embedding and the loss do not split over "
                        + "\(l.pp) pipeline stages x \(l.vpp) virtual stages")
                }
                pp += ["--account-for-embedding-in-pipeline-split", "--account-for-loss-in-pipeline-split"]
                if l.vpp > 1 { pp += ["--num-virtual-stages-per-pipeline-rank", "\(l.vpp)"] }
            } else {
                let split = try PipelineSplit.megatron(layers: model.layers, stages: l.pp, virtual: l.vpp)
                if l.vpp > 1 {
                    pp += split.isEven ? ["--num-layers-per-virtual-pipeline-stage", "\(model.layers / (l.pp * l.vpp))"]
                                       : ["--num-virtual-stages-per-pipeline-rank", "\(l.vpp)"]
                }
                if !split.isEven {
                    pp += ["--decoder-first-pipeline-num-layers", "\(split.first)", "--decoder-last-pipeline-num-layers", "\(split.last)"]
                }
            }
            lines.append(pp)
        } else if l.vpp > 1 {
            throw EmitError("--emit megatron: virtual pipeline stages (vpp \(l.vpp)) need pipeline parallelism > 1")
        }
        if l.cp > 1 { lines.append(["--context-parallel-size", "\(l.cp)", "--cp-comm-type", "p2p"]) }
        if l.ep > 1 {
            // EP A2A overlap where the recipe has it and Megatron-Core allows it
            // (`TrainingRecipe.overlapsEPComm(in:)`; the alltoall dispatcher is set above).
            lines.append(["--expert-model-parallel-size", "\(l.ep)"]
                + (plan.recipe.recipe.overlapsEPComm(in: ParallelLayout(pp: l.pp, ep: l.ep, vpp: l.vpp)) ? ["--overlap-moe-expert-parallel-comm"] : []))
        }
        switch l.recompute {
        case .none: break
        case .selective: lines.append(["--recompute-granularity", "selective"])
        case .full: lines.append(["--recompute-granularity", "full", "--recompute-method", "uniform", "--recompute-num-layers", "1"])
        }
        var zero: [String]
        switch l.zero {
        case 0: zero = []
        case 1: zero = ["--use-distributed-optimizer"]
        default:
            guard plan.recipe.optimizer == .adam || plan.recipe.optimizer == .sgd else {
                throw EmitError("--emit megatron: Megatron-FSDP (ZeRO-\(l.zero)) takes the adam or sgd optimizer, not \(plan.recipe.optimizer.rawValue)")
            }
            // Megatron-FSDP: optim_grads = ZeRO-2, optim_grads_params = ZeRO-3; its checkpoints
            // must use the fsdp_dtensor format (asserted).
            zero = ["--use-megatron-fsdp", "--data-parallel-sharding-strategy", l.zero == 2 ? "optim_grads" : "optim_grads_params",
                    "--ckpt-format", "fsdp_dtensor"]
        }
        if plan.recipe.optimizer == .sgd { zero += ["--optimizer", "sgd"] }
        zero += try precisionAwareOptimizer(plan)
        // Overlaps the estimate assumed (both are off by default in Megatron); param-gather
        // overlap needs grad-reduce overlap and a sharded optimizer.
        if l.overlapGradReduce && l.dp * l.cp > 1 {
            zero.append("--overlap-grad-reduce")
            if l.overlapParamGather && l.zero >= 1 { zero.append("--overlap-param-gather") }
        }
        if l.overlapTpComm && l.tp > 1 && l.sequenceParallel { zero.append("--tp-comm-overlap") }
        lines.append(zero)
        return lines
    }
}

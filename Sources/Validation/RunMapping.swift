import CostModel
import Hardware
import Workloads

/// What the cost model needs to predict one run.
public struct EvaluationInputs: Sendable, Hashable {
    public var model: TransformerModel
    public var layout: ParallelLayout
    public var recipe: TrainingRecipe
    public var cluster: ClusterTopology
    /// The defaults taken for fields the run leaves unstated ("recompute none", ...).
    public var assumed: [String]
    /// The source leaves the micro-batch (or the recomputation) unstated: `layout.microBatch`
    /// (`recipe.recompute`) is a placeholder, and the runner takes the best of `loom plan`
    /// constrained to everything the run states (`ValidationRunner.resolveUnstated`).
    public var microBatchUnstated = false
    public var recomputeUnstated = false
}

/// A run Loom cannot evaluate yet, with every reason (a framework, precision or preset it lacks,
/// a field the run leaves unstated that the estimate needs, a layout it cannot describe).
public struct RunRefusal: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    public var id: String
    public var reasons: [String]
    public var description: String { "run '\(id)': " + reasons.joined(separator: "; ") }
}

/// Choices for the fields a runs file leaves unstated, given on the command line.
public struct RunDefaults: Sendable, Hashable {
    /// Fused flash attention for runs that do not state `flash_attention` (nil: the framework's
    /// default, `TrainingRecipe.effectiveFlashAttention`).
    public var flashAttention: Bool?

    public init(flashAttention: Bool? = nil) {
        self.flashAttention = flashAttention
    }
}

/// The one mapping from a published run to the cost model's inputs: every default assumed for
/// an unstated field, and every refusal, is here.
public enum RunMapping {
    /// Fine-tuning methods whose step is a pre-training step (full-parameter SFT).
    static let modelledFinetuneMethods: Set<String> = ["full", "lora"]

    /// NeMo's LoRA defaults for runs that leave them unstated (NeMo `LoraPEFTConfig` /
    /// `peft.lora_tuning`: `adapter_dim` 32, `target_modules` ['attention_qkv'], the fused QKV
    /// projection, here its q, k and v parts).
    static let nemoLoRARank = 32
    static let nemoLoRATargets: [LoRATarget] = [.q, .k, .v]

    /// Frameworks whose code of the runs they describe had no fused attention, so `--flash-attention`
    /// does not apply to them: Megatron-LM 2021-22 (Narayanan et al. 2021, Korthikanti et al. 2022)
    /// and Megatron-DeepSpeed for MT-NLG materialised the s x s scores (FlashAttention, Dao et al.,
    /// is of May 2022). Their profiles default to it off as well; this keeps `--flash-attention`
    /// from forcing it on for them.
    static let frameworksWithoutFusedAttention: Set<Framework> = [.megatronLM, .megatronLM2022, .megatronDeepSpeed]

    /// MaxText's v5p scripts at the runs' commit (configs/v5p/*.sh @76bd53b0) export
    /// LIBTPU_INIT_ARGS with `--xla_tpu_enable_async_collective_fusion=true` and
    /// `--xla_tpu_overlap_compute_collective_tc=true`, which overlap the TP collectives with the
    /// matmuls; the v4 scripts set only `--xla_enable_async_all_gather=true`. A run whose source
    /// names the v5p scripts runs with TP overlap.
    static let maxTextScriptsWithCollectiveFusion = "configs/v5p/"

    /// The same v5p scripts also export `--xla_tpu_enable_data_parallel_all_reduce_opt=true` and
    /// `--xla_tpu_data_parallel_opt_different_sized_ops=true`, which MaxText's
    /// `benchmarks/xla_flags_library.py` (`DATA_PARALLEL_OVERLAP`) describes as "optimize DCN
    /// all-reduces used for data parallel sharding" and "enable pipelining of data parallel ops
    /// across multiple iterations"; the v4 scripts (configs/v4/*.sh @76bd53b0) do not, so their
    /// all-reduce of the gradient shards between slices (`dcn_data_parallelism`) follows the last
    /// backward instead of overlapping it (`overlap_grad_reduce` off). Nor are the per-layer FSDP
    /// collectives pipelined: MaxText scans its decoder layers (`scan_layers: True` in base.yml),
    /// each iteration slicing its layer's weights out of the stacked parameters, so without
    /// pipelining across iterations a layer's weight all-gather (async or not,
    /// `--xla_enable_async_all_gather=true` is all the v4 scripts set) completes before its first
    /// matmul and its gradients' reduce-scatter after its last, with no next layer's work to hide
    /// behind: FSDP without prefetch (`overlap_param_gather` off, `DataParallelTasks`).
    static let maxTextScriptsWithoutDataParallelOverlap = "configs/v4/"

    /// The TPU slices a run used: under HSDP every replica of the shard group is one slice (the
    /// runs' data axis is MaxText's `dcn_data_parallelism`, their fsdp axis `ici_fsdp_parallelism`),
    /// otherwise the fewest equal slices the generation offers (`torusSlices(gpus:)`). Nil off a
    /// torus.
    static func torusSlices(for run: PublishedRun, cluster: ClusterTopology) throws -> TorusSlices? {
        guard cluster.interconnect == .torus else { return nil }
        let ranks = run.layout.dp * (run.layout.cp ?? 1)
        let stated = run.layout.fsdpShardGroup.flatMap { group in group >= 1 && group < ranks ? ranks / group : nil }
        return try cluster.torusSlices(gpus: run.cluster.gpus, slices: stated)
    }

    /// The cost model's inputs for `run`, or why it cannot be evaluated.
    ///
    /// Unstated fields: framework megatron-core; precision 16-bit mixed; cp, ep, vpp 1;
    /// ZeRO 3 when `fsdp` is stated, else 0; recomputation none; sequence parallelism off;
    /// flash attention `defaults.flashAttention` (never for `frameworksWithoutFusedAttention`),
    /// else off. `fsdp_shard_group` is `ParallelLayout.shardGroup` (HSDP); on a TPU torus the
    /// cluster is restricted to the run's slices (`torusSlices(for:cluster:)`). The model is a Megatron GPT block
    /// (learned positions, LayerNorm, biases) unless its MLP is gated, it states `head_dim` or
    /// a parallel block (Llama / PaLM-style: rotary, RMSNorm, no biases), or latent attention
    /// (`mla`, DeepSeek). `mla` and `attention_window` are passed through as stated, and so are
    /// `qkv_bias`, `linear_bias`, `yarn_factor` and `clamped_glu` when the run states them.
    public static func inputs(for run: PublishedRun, defaults: RunDefaults = .init(),
                              cluster: (String) throws -> ClusterTopology) -> Result<EvaluationInputs, RunRefusal> {
        var reasons: [String] = []
        let l = run.layout

        let frameworkName = run.framework ?? Framework.megatronCore.rawValue
        let framework = RunVocabulary.framework(frameworkName)
        if framework == nil {
            let known = Framework.allCases.map(\.rawValue).joined(separator: ", ")
            reasons.append("framework '\(frameworkName)' is not modelled (known: \(known))")
        }
        if let precision = run.precision, RunVocabulary.precision(precision) == nil {
            let known = Precision.allCases.map(\.rawValue).joined(separator: ", ")
            reasons.append("precision '\(precision)' is not one of \(known)")
        }
        if let method = run.finetune?.method, !modelledFinetuneMethods.contains(method) {
            reasons.append("fine-tuning method '\(method)' is not modelled")
        }
        let mlpName = run.model.mlp ?? MLPKind.gelu.rawValue
        let mlp = RunVocabulary.mlp(mlpName)
        if mlp == nil {
            reasons.append("MLP '\(mlpName)' is not known (known: \(MLPKind.allCases.map(\.rawValue).joined(separator: ", ")), relu2)")
        }
        if run.model.experts != nil && run.model.expertsPerToken == nil {
            reasons.append("experts \(run.model.experts ?? 0) without experts_per_token")
        }
        let recomputeName = l.recompute ?? Recompute.none.rawValue
        let recompute = RunVocabulary.recompute(recomputeName)
        if recompute == nil {
            reasons.append("recompute '\(recomputeName)' is not one of none, selective, full")
        }
        let zero = l.zero ?? (l.fsdp == true ? 3 : framework?.profile.defaultZero ?? 0)
        if l.fsdp == true && zero != 3 {
            reasons.append("fsdp with zero \(zero): FSDP full sharding is ZeRO-3")
        }
        let cp = l.cp ?? 1
        if let group = l.fsdpShardGroup, group < 1 || (l.dp * cp) % group != 0 {
            reasons.append("fsdp_shard_group \(group) does not divide dp x cp = \(l.dp * cp)")
        }
        if let accumulation = l.gradientAccumulation, let micro = l.microBatch,
           accumulation * micro * l.dp != l.globalBatch {
            reasons.append("gradient_accumulation \(accumulation) x micro_batch \(micro) x dp \(l.dp) is not global_batch \(l.globalBatch)")
        }
        var topology: ClusterTopology?
        var clusterNote: String?
        do {
            do {
                topology = try cluster(run.cluster.preset)
            } catch {
                // A preset named as the system or GPU is sold ("H100 SXM", "tpu-v5e-256"): the
                // topology of that name (`finetuneCluster`), listed as assumed; else the error.
                guard let (name, _) = finetuneCluster(gpu: run.cluster.preset, gpus: run.cluster.gpus) else { throw error }
                topology = try cluster(name)
                clusterNote = "cluster \(name) for preset '\(run.cluster.preset)'"
            }
            if let torus = topology, let slices = try torusSlices(for: run, cluster: torus) {
                topology = torus.restricted(to: slices)
            }
        } catch {
            reasons.append("cluster preset '\(run.cluster.preset)': \(error)")
        }
        guard reasons.isEmpty, let framework, let mlp, let recompute, let topology else {
            return .failure(RunRefusal(id: run.id, reasons: reasons))
        }

        var assumed: [String] = clusterNote.map { [$0] } ?? []
        if run.framework == nil { assumed.append("framework \(framework.rawValue)") }
        if run.precision == nil { assumed.append("precision bf16/fp16 mixed") }
        if l.recompute == nil { assumed.append("recompute: the best of loom plan (unstated)") }
        if l.microBatch == nil { assumed.append("micro_batch: the best of loom plan (unstated)") }
        if l.zero == nil && l.fsdp != true { assumed.append("zero \(zero) (\(framework.rawValue) default)") }
        if l.sequenceParallel == nil && l.tp > 1 {
            let on = framework.profile.sequenceParallelByDefault
            assumed.append("sequence parallel \(on ? "on" : "off") (\(framework.rawValue) default)")
        }
        let flashAttention = l.flashAttention
            ?? (frameworksWithoutFusedAttention.contains(framework) ? false : defaults.flashAttention)
        var recipe = TrainingRecipe(framework: framework, recompute: recompute, flashAttention: flashAttention)
        if framework == .maxtext, run.source?.contains(maxTextScriptsWithCollectiveFusion) == true {
            recipe.overlapTPComm = true
            assumed.append("TP communication overlapped (the script's LIBTPU_INIT_ARGS async collective fusion)")
        }
        if framework == .maxtext, run.source?.contains(maxTextScriptsWithoutDataParallelOverlap) == true {
            recipe.overlapGradReduce = false
            recipe.overlapParamGather = false
            assumed.append("DCN gradient all-reduce not overlapped (no data-parallel all-reduce opt in LIBTPU_INIT_ARGS)")
            assumed.append("FSDP all-gathers and reduce-scatters in series with the scanned layers (no pipelining of data-parallel ops across iterations in LIBTPU_INIT_ARGS)")
        }
        if let precision = run.precision.flatMap(RunVocabulary.precision) { recipe.precision = precision }
        if let tuning = run.finetune, tuning.method == FinetuneMethod.lora.rawValue {
            if tuning.rank == nil { assumed.append("LoRA rank \(nemoLoRARank) (NeMo adapter_dim default)") }
            assumed.append("LoRA targets q,k,v (NeMo attention_qkv default)")
            recipe.fineTuning = FineTuning(method: .lora, rank: tuning.rank ?? nemoLoRARank, targets: nemoLoRATargets)
        }
        if let settings = run.recipe {
            do {
                try recipe.apply(settings.keys.sorted().map { key in
                    RecipeAssignment(key: key, value: settings[key]?.text ?? "", source: "recipe.\(key)")
                })
            } catch {
                return .failure(RunRefusal(id: run.id, reasons: ["\(error)"]))
            }
        }
        if l.flashAttention == nil {
            assumed.append("flash attention \(recipe.effectiveFlashAttention ? "on" : "off")")
        }
        let m = run.model
        let llamaStyle = mlp.isGated || m.headDim != nil || m.parallelBlock == true || m.mla != nil
        let moe: MoEConfig? = m.experts.map { experts in
            MoEConfig(experts: experts, expertsPerToken: m.expertsPerToken ?? 1, expertFFN: m.expertFfn ?? m.ffn ?? 4 * m.hidden,
                      sharedExperts: m.sharedExperts ?? 0, sharedExpertFFN: m.sharedExpertFfn, denseLayers: m.denseLayers ?? 0)
        }
        let details = ArchitectureDetails(qkNorm: m.qkNorm ?? false, valueNorm: m.vNorm ?? false,
                                          yarnFactor: m.yarnFactor, clampedGLU: m.clampedGlu ?? false)
        let qkvBias: Bool = m.qkvBias ?? !llamaStyle
        let linearBias: Bool = m.linearBias ?? !llamaStyle
        let ffn: Int = m.ffn ?? 4 * m.hidden
        let norm: NormKind = llamaStyle ? .rmsnorm : .layernorm
        let position: PositionEmbedding = llamaStyle ? .rotary : .learned
        let model = TransformerModel(
            name: run.id, layers: m.layers, hidden: m.hidden, heads: m.heads, kvHeads: m.kvHeads ?? m.heads,
            headDim: m.headDim, ffn: ffn, mlp: mlp, vocab: m.vocab, maxSeq: m.seq,
            tiedEmbeddings: m.tiedEmbeddings ?? false, qkvBias: qkvBias, linearBias: linearBias,
            norm: norm, position: position,
            parallelBlock: m.parallelBlock ?? false,
            moe: moe, mla: m.mla, details: details, attentionWindow: m.attentionWindow)
        let layout = ParallelLayout(
            tp: l.tp, pp: l.pp, dp: l.dp, cp: cp, ep: l.ep ?? 1, vpp: l.vpp ?? 1, zero: zero,
            sequenceParallel: TrainingRecipe(framework: framework).sequenceParallel(given: l.sequenceParallel, tp: l.tp),
            microBatch: l.microBatch ?? 1, globalBatch: l.globalBatch, seq: m.seq,
            shardGroup: l.fsdpShardGroup.flatMap { $0 == l.dp * cp ? nil : $0 })
        do {
            try model.validate()
            try LayoutValidation.check(layout, recipe: recipe, model: model, cluster: topology, gpus: run.cluster.gpus)
        } catch {
            return .failure(RunRefusal(id: run.id, reasons: ["\(error)"]))
        }
        var inputs = EvaluationInputs(model: model, layout: layout, recipe: recipe, cluster: topology, assumed: assumed)
        inputs.microBatchUnstated = l.microBatch == nil
        inputs.recomputeUnstated = l.recompute == nil
        return .success(inputs)
    }
}

import ArgumentParser
import Foundation
import CostModel
import Planner
import Hardware
import Workloads

extension Recompute: ExpressibleByArgument {}
extension Framework: ExpressibleByArgument {}
extension PipelineScheduleKind: ExpressibleByArgument {}
extension OptimizerKind: ExpressibleByArgument {}
extension Precision: ExpressibleByArgument {}
extension RematPolicy: ExpressibleByArgument {}
extension FinetuneMethod: ExpressibleByArgument {}
extension OffloadKind: ExpressibleByArgument {}

/// `--lora-targets`: `attention`, `all-linear` or a list such as `q,k,v,o` (`LoRATarget.parse`).
struct LoRATargetList: ExpressibleByArgument {
    var targets: [LoRATarget]
    init?(argument: String) {
        guard let targets = LoRATarget.parse(argument) else { return nil }
        self.targets = targets
    }
}

/// The layout flags `estimate`, `simulate`, `plan` and `report` share: how the work is split.
/// Every flag is optional: `estimate` fills the defaults, `plan` treats a given flag as fixing
/// that dimension of the search.
struct LayoutOptions: ParsableArguments {
    @Option(help: "Tensor-parallel size (splits every layer's matmuls; within a node).")
    var tp: Int?
    @Option(help: "Pipeline-parallel size (splits the layers into stages).")
    var pp: Int?
    @Option(help: "Data-parallel size (default: GPUs / (tp x pp x cp)).")
    var dp: Int?
    @Option(help: "Context-parallel size (splits the sequence; ring attention).")
    var cp: Int?
    @Option(help: "Expert-parallel size (MoE models; splits the experts over data-parallel ranks).")
    var ep: Int?
    @Option(help: "Virtual pipeline stages per rank (interleaved 1F1B when > 1).")
    var vpp: Int?
    @Option(name: .customLong("micro-batch"), help: "Micro-batch size in sequences.")
    var microBatch: Int?
    @Option(help: "ZeRO stage 0-3 over the data-parallel group (1 = Megatron's distributed optimizer, 3 = FSDP).")
    var zero: Int?
    @Flag(name: .customLong("sequence-parallel"), inversion: .prefixedNo,
          help: "Sequence parallelism with TP (splits norms/dropout over TP); default: the framework's (on for megatron-core, nemo, torchtitan).")
    var sequenceParallel: Bool?
    @Option(help: "Pipeline schedule: 1f1b (default; interleaved with --vpp) or gpipe.")
    var schedule: PipelineScheduleKind?
    @Option(help: "Ranks of dp x cp that shard weights, gradients and optimizer state (MaxText's fsdp axis, HSDP); the rest are replicas whose gradients are all-reduced (default: all of dp x cp).")
    var fsdp: Int?

    /// A complete layout for `gpus` GPUs: given flags, else the single-GPU-group defaults.
    func layout(gpus: Int, globalBatch: Int, seq: Int, recipe: TrainingRecipe) throws -> ParallelLayout {
        let tp = self.tp ?? 1
        let pp = self.pp ?? 1
        let cp = self.cp ?? 1
        for (flag, value) in [("--tp", tp), ("--pp", pp), ("--cp", cp)] where value < 1 {
            throw LayoutError("\(flag) \(value) must be a positive integer")
        }
        let group = tp.multipliedReportingOverflow(by: pp).partialValue.multipliedReportingOverflow(by: cp).partialValue
        let dp = try self.dp ?? {
            guard group > 0, gpus % group == 0 else {
                throw LayoutError("--gpus \(gpus) is not divisible by tp x pp x cp = \(tp) x \(pp) x \(cp)")
            }
            return gpus / group
        }()
        return ParallelLayout(
            tp: tp, pp: pp, dp: dp, cp: cp, ep: ep ?? 1, vpp: vpp ?? 1, zero: zero ?? recipe.framework.profile.defaultZero,
            sequenceParallel: recipe.sequenceParallel(given: sequenceParallel, tp: tp),
            microBatch: microBatch ?? 1, globalBatch: globalBatch, seq: seq,
            schedule: schedule ?? .oneForwardOneBackward, shardGroup: fsdp)
    }

    /// The given layout flags as fixed dimensions of the planner's search, with `recipe`'s
    /// training recipe (its recomputation fixed only when --recompute is given).
    func planConstraints(_ options: RecipeOptions) throws -> PlanConstraints {
        let recipe = try options.recipe()
        return PlanConstraints(
            tp: tp, pp: pp, dp: dp, cp: cp, ep: ep, vpp: vpp, zero: zero,
            recompute: try options.sets("recompute") ? recipe.recompute : nil,
            sequenceParallel: sequenceParallel, microBatch: microBatch,
            schedule: schedule ?? .oneForwardOneBackward, recipe: recipe, shardGroup: fsdp)
    }
}

/// The training-recipe flags `estimate`, `simulate`, `plan` and `report` share: what is trained
/// and how. Unset switches take the framework's default (`TrainingRecipe.effective*`), the same
/// way in every command.
struct RecipeOptions: ParsableArguments {
    @Option(help: ArgumentHelp(TrainingRecipe.help("framework")))
    var framework: Framework?
    @Option(help: ArgumentHelp(TrainingRecipe.help("precision")))
    var precision: Precision?
    @Option(help: ArgumentHelp(TrainingRecipe.help("optimizer")))
    var optimizer: OptimizerKind?
    @Option(help: ArgumentHelp(TrainingRecipe.help("fine_tuning")))
    var finetune: FinetuneMethod?
    @Option(name: .customLong("lora-rank"), help: "LoRA/QLoRA adapter rank r (default 8, PEFT's).")
    var loraRank: Int?
    @Option(name: .customLong("lora-alpha"), help: "LoRA scaling alpha (default: the rank).")
    var loraAlpha: Double?
    @Option(name: .customLong("lora-targets"), help: "Layers with adapters: attention (default), all-linear, or a list of q,k,v,o,gate,up,down.")
    var loraTargets: LoRATargetList?
    @Option(name: .customLong("lora-dropout"), help: "Dropout probability on the adapters' inputs (default 0, PEFT's lora_dropout); above 0 each adapter keeps its dropped input and mask.")
    var loraDropout: Double?
    @Option(name: .customLong("master-weights"), help: ArgumentHelp(TrainingRecipe.help("master_weights")))
    var masterWeights: Bool?
    @Option(help: ArgumentHelp(TrainingRecipe.help("offload")))
    var offload: OffloadKind?
    @Flag(name: .customLong("optimizer-in-backward"), help: ArgumentHelp(TrainingRecipe.help("optimizer_in_backward")))
    var optimizerInBackward = false
    @Option(help: ArgumentHelp(TrainingRecipe.help("recompute")))
    var recompute: Recompute?
    @Option(name: .customLong("remat-policy"), help: ArgumentHelp(TrainingRecipe.help("remat")))
    var rematPolicy: RematPolicy?
    @Flag(name: .customLong("flash-attention"), inversion: .prefixedNo, help: ArgumentHelp(TrainingRecipe.help("flash_attention")))
    var flashAttention: Bool?
    @Option(name: .customLong("overlap-grad-reduce"), help: ArgumentHelp(TrainingRecipe.help("overlap_grad_reduce")))
    var overlapGradReduce: Bool?
    @Option(name: .customLong("overlap-param-gather"), help: ArgumentHelp(TrainingRecipe.help("overlap_param_gather")))
    var overlapParamGather: Bool?
    @Option(name: .customLong("overlap-tp-comm"), help: ArgumentHelp(TrainingRecipe.help("overlap_tp_comm")))
    var overlapTPComm: Bool?
    @Option(name: .customLong("recipe"), help: ArgumentHelp(TrainingRecipe.assignmentHelp, valueName: "key=value"))
    var assignments: [String] = []

    /// The named recipe flags as assignments of their fields. These flags are public contracts
    /// (ARCHITECTURE.md); a field added later needs no line here: `--recipe key=value` sets it.
    var namedAssignments: [RecipeAssignment] {
        func option(_ key: String, _ flag: String, _ value: String?) -> RecipeAssignment? {
            value.map { RecipeAssignment(key: key, value: $0, source: "\(flag) \($0)") }
        }
        func toggle(_ key: String, _ flag: String, _ value: Bool?) -> RecipeAssignment? {
            value.map { RecipeAssignment(key: key, value: String($0), source: flag) }
        }
        return [
            option("framework", "--framework", framework?.rawValue),
            option("precision", "--precision", precision?.rawValue),
            option("optimizer", "--optimizer", optimizer?.rawValue),
            option("fine_tuning", "--finetune", finetune?.rawValue),
            option("master_weights", "--master-weights", masterWeights.map { String($0) }),
            option("offload", "--offload", offload?.rawValue),
            toggle("optimizer_in_backward", "--optimizer-in-backward", optimizerInBackward ? true : nil),
            option("recompute", "--recompute", recompute?.rawValue),
            option("remat", "--remat-policy", rematPolicy?.rawValue),
            toggle("flash_attention", flashAttention == false ? "--no-flash-attention" : "--flash-attention", flashAttention),
            option("overlap_grad_reduce", "--overlap-grad-reduce", overlapGradReduce.map { String($0) }),
            option("overlap_param_gather", "--overlap-param-gather", overlapParamGather.map { String($0) }),
            option("overlap_tp_comm", "--overlap-tp-comm", overlapTPComm.map { String($0) }),
        ].compactMap { $0 }
    }

    /// Every assignment the command line makes: the named flags, then `--recipe`'s in order.
    func allAssignments() throws -> [RecipeAssignment] {
        try namedAssignments + assignments.map(RecipeAssignment.init(recipeOption:))
    }

    /// Whether the command line sets the field `key`, by its flag or by `--recipe`.
    func sets(_ key: String) throws -> Bool {
        guard let field = TrainingRecipe.field(named: key) else { return false }
        return try allAssignments().contains { TrainingRecipe.field(named: $0.key)?.key == field.key }
    }

    /// LoRA flags only mean something with adapters; the assignments must name fields and values.
    func validate() throws {
        let recipe: TrainingRecipe
        do { recipe = try self.recipe() } catch let error as LayoutError { throw ValidationError(error.description) }
        let given = [("--lora-rank", loraRank != nil), ("--lora-alpha", loraAlpha != nil), ("--lora-targets", loraTargets != nil),
                     ("--lora-dropout", loraDropout != nil)]
        if let flag = given.first(where: \.1)?.0, !recipe.fineTuning.method.usesAdapters {
            throw ValidationError("\(flag) needs --finetune lora or qlora (got --finetune \(recipe.fineTuning.method.rawValue))")
        }
    }

    /// The recipe the flags describe, from `TrainingRecipe()`'s defaults; unset switches stay
    /// nil (the framework's default).
    func recipe() throws -> TrainingRecipe {
        var recipe = TrainingRecipe()
        try recipe.apply(allAssignments())
        recipe.fineTuning = FineTuning(method: recipe.fineTuning.method, rank: loraRank ?? 8, alpha: loraAlpha,
                                       targets: loraTargets?.targets ?? LoRATarget.attention, dropout: loraDropout)
        return recipe
    }
}

/// `--model`, `--cluster`, `--gpus`, `--global-batch`, `--seq`: what every modelling command needs.
struct WorkloadOptions: ParsableArguments {
    @Option(help: "Model: a preset (`loom models`), a Hugging Face config.json, or a Loom YAML/JSON model file.")
    var model: String
    @Option(help: "Cluster: a topology name (`loom clusters`) or a topology YAML file.")
    var cluster: String
    @Option(help: "Number of GPUs (accelerators) to use.")
    var gpus: Int
    @Option(name: .customLong("global-batch"), help: "Global batch size in sequences per optimizer step.")
    var globalBatch: Int
    @Option(help: "Sequence length in tokens (default: the model's maximum context, at most 8192).")
    var seq: Int?
    @Option(help: "TPU slices joined over DCN (default: the fewest equal slices the generation offers; required above one pod).")
    var slices: Int?
    @Option(name: .customLong("target-seq"),
            help: "Target (decoder) length of an encoder-decoder model such as T5, tokens (default: --seq).")
    var targetSeq: Int?
}

/// A model and cluster resolved from the command line, with the checks every command needs.
struct ResolvedWorkload {
    var model: TransformerModel
    var cluster: ClusterTopology
    var gpus: Int
    var globalBatch: Int
    var seq: Int
    /// The job's TPU slices (nil off a torus); `cluster` is already restricted to them.
    var slices: TorusSlices?
    var targetSeq: Int? = nil
}

extension WorkloadOptions {
    func resolve() throws -> ResolvedWorkload {
        let model = try ModelCatalog.load(self.model)
        var cluster = try TopologyCatalog.load(self.cluster)
        if gpus < 1 { throw LayoutError("--gpus \(gpus) must be a positive integer") }
        try cluster.checkGPUCount(gpus)
        // Issue 15: a job larger than one pod is several slices over DCN, which the user states.
        if slices == nil, cluster.interconnect == .torus, let torus = cluster.torus, gpus > torus.podChips {
            throw LayoutError("--gpus \(gpus) is more than one \(cluster.name) pod (\(torus.podChips) chips): "
                              + "pass --slices N to join N equal slices over DCN")
        }
        let torusSlices = try cluster.torusSlices(gpus: gpus, slices: slices)
        if let torusSlices { cluster = cluster.restricted(to: torusSlices) }
        if globalBatch < 1 { throw LayoutError("--global-batch \(globalBatch) must be a positive integer") }
        let seq = self.seq ?? LayoutValidation.defaultSequenceLength(for: model)
        if let problem = LayoutValidation.sequenceLengthProblem(seq) { throw LayoutError(problem) }
        if let targetSeq {
            if let problem = LayoutValidation.sequenceLengthProblem(targetSeq) {
                throw LayoutError(problem.replacingOccurrences(of: "--seq", with: "--target-seq"))
            }
            if !model.isEncoderDecoder {
                throw LayoutError("--target-seq \(targetSeq): \(model.name) has no decoder stack (only encoder-decoder models such as T5 take a target length)")
            }
        }
        return ResolvedWorkload(model: model, cluster: cluster, gpus: gpus, globalBatch: globalBatch, seq: seq,
                                slices: torusSlices, targetSeq: targetSeq)
    }
}

extension ResolvedWorkload {
    /// The layout the flags describe for this workload under `recipe`, checked against Megatron's constraints;
    /// warnings (a sequence longer than the model's context) go to stderr.
    func validatedLayout(_ options: LayoutOptions, recipe: TrainingRecipe) throws -> ParallelLayout {
        var layout = try options.layout(gpus: gpus, globalBatch: globalBatch, seq: seq, recipe: recipe)
        layout.targetSeq = targetSeq
        try LayoutValidation.check(layout, recipe: recipe, model: model, cluster: cluster, gpus: gpus)
        for warning in LayoutValidation.warnings(layout, model: model) {
            FileHandle.standardError.write(Data("loom: warning: \(warning)\n".utf8))
        }
        return layout
    }
}

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
    @Flag(name: .customLong("sequence-parallel"), help: "Megatron sequence parallelism (splits norms/dropout over TP).")
    var sequenceParallel = false
    @Option(help: "Pipeline schedule: 1f1b (default; interleaved with --vpp) or gpipe.")
    var schedule: PipelineScheduleKind?

    /// A complete layout for `gpus` GPUs: given flags, else the single-GPU-group defaults.
    func layout(gpus: Int, globalBatch: Int, seq: Int) throws -> ParallelLayout {
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
            tp: tp, pp: pp, dp: dp, cp: cp, ep: ep ?? 1, vpp: vpp ?? 1, zero: zero ?? 0,
            sequenceParallel: sequenceParallel, microBatch: microBatch ?? 1, globalBatch: globalBatch, seq: seq,
            schedule: schedule ?? .oneForwardOneBackward)
    }

    /// The given layout flags as fixed dimensions of the planner's search, with `recipe`'s
    /// training recipe (its recomputation fixed only when --recompute is given).
    func planConstraints(_ recipe: RecipeOptions) -> PlanConstraints {
        PlanConstraints(
            tp: tp, pp: pp, dp: dp, cp: cp, ep: ep, vpp: vpp, zero: zero, recompute: recipe.recompute,
            sequenceParallel: sequenceParallel ? true : nil, microBatch: microBatch,
            schedule: schedule ?? .oneForwardOneBackward, recipe: recipe.recipe)
    }
}

/// The training-recipe flags `estimate`, `simulate`, `plan` and `report` share: what is trained
/// and how. Unset switches take the framework's default (`TrainingRecipe.effective*`), the same
/// way in every command.
struct RecipeOptions: ParsableArguments {
    // Help texts from `TrainingRecipe.fields` (one description per field).
    @Option(help: ArgumentHelp(TrainingRecipe.help("framework")))
    var framework: Framework?
    @Option(help: ArgumentHelp(TrainingRecipe.help("precision")))
    var precision: Precision?
    @Option(help: ArgumentHelp(TrainingRecipe.help("optimizer")))
    var optimizer: OptimizerKind?
    @Option(help: ArgumentHelp(TrainingRecipe.help("recompute")))
    var recompute: Recompute?
    @Flag(name: .customLong("flash-attention"), inversion: .prefixedNo, help: ArgumentHelp(TrainingRecipe.help("flash_attention")))
    var flashAttention: Bool?
    @Option(name: .customLong("overlap-grad-reduce"), help: ArgumentHelp(TrainingRecipe.help("overlap_grad_reduce")))
    var overlapGradReduce: Bool?
    @Option(name: .customLong("overlap-param-gather"), help: ArgumentHelp(TrainingRecipe.help("overlap_param_gather")))
    var overlapParamGather: Bool?
    @Option(name: .customLong("overlap-tp-comm"), help: ArgumentHelp(TrainingRecipe.help("overlap_tp_comm")))
    var overlapTPComm: Bool?

    /// The recipe the flags describe; unset switches stay nil (the framework's default).
    var recipe: TrainingRecipe {
        TrainingRecipe(framework: framework ?? .megatronCore, precision: precision ?? .bf16, optimizer: optimizer ?? .adam,
                       recompute: recompute ?? .none, flashAttention: flashAttention,
                       overlapGradReduce: overlapGradReduce, overlapParamGather: overlapParamGather,
                       overlapTPComm: overlapTPComm)
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
}

/// A model and cluster resolved from the command line, with the checks every command needs.
struct ResolvedWorkload {
    var model: TransformerModel
    var cluster: ClusterTopology
    var gpus: Int
    var globalBatch: Int
    var seq: Int
}

extension WorkloadOptions {
    func resolve() throws -> ResolvedWorkload {
        let model = try ModelCatalog.load(self.model)
        let cluster = try TopologyCatalog.load(self.cluster)
        if gpus < 1 { throw LayoutError("--gpus \(gpus) must be a positive integer") }
        try cluster.checkGPUCount(gpus)
        if globalBatch < 1 { throw LayoutError("--global-batch \(globalBatch) must be a positive integer") }
        let seq = self.seq ?? LayoutValidation.defaultSequenceLength(for: model)
        if let problem = LayoutValidation.sequenceLengthProblem(seq) { throw LayoutError(problem) }
        return ResolvedWorkload(model: model, cluster: cluster, gpus: gpus, globalBatch: globalBatch, seq: seq)
    }
}

extension ResolvedWorkload {
    /// The layout the flags describe for this workload under `recipe`, checked against Megatron's constraints;
    /// warnings (a sequence longer than the model's context) go to stderr.
    func validatedLayout(_ options: LayoutOptions, recipe: TrainingRecipe) throws -> ParallelLayout {
        let layout = try options.layout(gpus: gpus, globalBatch: globalBatch, seq: seq)
        try LayoutValidation.check(layout, recipe: recipe, model: model, cluster: cluster, gpus: gpus)
        for warning in LayoutValidation.warnings(layout, model: model) {
            FileHandle.standardError.write(Data("loom: warning: \(warning)\n".utf8))
        }
        return layout
    }
}

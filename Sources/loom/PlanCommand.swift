import ArgumentParser
import CostModel
import Foundation
import Goodput
import Hardware
import Planner
import Workloads

extension PlanObjective: ExpressibleByArgument {}

/// The launch configurations `loom plan --emit` can print for the best plan.
enum LaunchFormat: String, ExpressibleByArgument, CaseIterable, Sendable {
    case megatron
    case torchtitan
    case deepspeed
    case maxtext
    /// PEFT LoraConfig + transformers TrainingArguments as JSON (`PEFTArguments`).
    case peft

    /// The framework profile a plan for this target is ranked under when `--framework` is not
    /// given: the launch runs on that framework, so its kernels and overlaps are what to assume.
    var framework: Framework? {
        switch self {
        case .megatron: return .megatronCore
        case .torchtitan: return .torchtitan
        case .deepspeed: return .megatronDeepSpeed
        case .maxtext: return .maxtext
        // Hugging Face's Trainer: eager PyTorch kernels and, for the ZeRO stages the emitted
        // configuration asks for, DeepSpeed.
        case .peft: return .deepspeed
        }
    }
}

/// `loom plan`: search every valid layout for the best ones (Planner module).
struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Search all valid parallel layouts and rank the best ones.",
        discussion: """
            Any layout flag of `loom estimate` fixes that dimension; the others
            are searched: TP (within a node), PP, CP, DP, EP (MoE), VPP,
            micro-batch, ZeRO 0-3, recompute, sequence parallelism. Flash
            attention follows the framework (as in estimate and simulate)
            unless --flash-attention or --no-flash-attention is given.

            Examples:
              loom plan --model gpt3-175b --cluster dgx-a100-80gb \\
                  --gpus 1024 --global-batch 1536 --seq 2048 \\
                  --framework megatron-lm
              loom plan --model llama-3.1-70b --cluster dgx-h100 --gpus 512 \\
                  --global-batch 512 --seq 8192 --tp 8 --top 3 --emit megatron
              loom plan --model llama-3.1-405b --cluster dgx-h100 \\
                  --gpus 16384 --global-batch 2048 --seq 8192 --benchmark
            """)

    @OptionGroup var workload: WorkloadOptions
    @OptionGroup var layoutOptions: LayoutOptions
    @OptionGroup var recipeOptions: RecipeOptions
    @Option(help: "How many plans to show, best first.")
    var top: Int = 5
    @Option(help: "Rank by throughput (tokens/s), memory (least per GPU), cost (tokens/s per GPU; also tries N/2, N/4, ... GPUs) or time-to-train (tokens/s x goodput with failures and checkpoints; needs --train-tokens; also tries N/2, N/4, ...).")
    var objective: PlanObjective = .throughput
    @Option(name: .customLong("max-memory-fraction"), help: "Fraction of each GPU's memory a plan may use (0-1].")
    var maxMemoryFraction: Double = 1.0
    @Flag(name: .customLong("allow-cross-node-tp"), help: "Let tensor parallelism span nodes.")
    var allowCrossNodeTP = false
    @Option(help: "Also print the best plan as a launch configuration: megatron (megatron-core 0.19.x), torchtitan (0.3.0), deepspeed (0.19.x + Megatron-DeepSpeed), maxtext (base.yml overrides) or peft (ranked as Hugging Face's Trainer runs it: DeepSpeed's eager kernels, transformers' fp32-logits loss, PEFT's fp32 upcast of a QLoRA model's unquantised weights). Ranks under that framework's profile unless --framework is given; a plan the framework cannot express is one error line.")
    var emit: LaunchFormat?
    @Option(name: .customLong("emit-dir"), help: "Write the best plan as a scripts/check-emit.sh case directory: case.json and the megatron, torchtitan and deepspeed files (only --emit's with --emit); unsupported.txt names the frameworks that cannot express it.")
    var emitDir: String?
    @Flag(help: "Run the search 3 times and report the median search time and layouts per second.")
    var benchmark = false
    @OptionGroup(title: "Time to train") var trainingTime: TrainingTimeOptions
    @OptionGroup var price: GPUPriceOption
    @OptionGroup var output: FormatOption

    func run() throws {
        let resolved = try workload.resolve()
        var request = try planRequest(resolved)
        request.timeToTrain = try trainingTime.settings(price: price.pricePerGPUHour)
        let planner = Planner(model: resolved.model, cluster: resolved.cluster)
        for warning in LayoutValidation.warnings(ParallelLayout(seq: resolved.seq), model: resolved.model) {
            FileHandle.standardError.write(Data("loom: warning: \(warning)\n".utf8))
        }
        if benchmark {
            try runBenchmark(planner, request: request, resolved: resolved)
            return
        }
        let result = try planner.planSynchronously(request)
        try FiniteCheck.check(result.plans, what: "plan", inputs: workload.inputs)
        let arch = LaunchArguments.cudaArchMajor(acceleratorName: resolved.cluster.accelerator.name)
        if let emitDir, let best = result.plans.first {
            try EmitCase.write(best, model: resolved.model, cluster: resolved.cluster, gpuArchMajor: arch,
                               only: emit.map { [$0] }, to: emitDir)
        }
        let launch = try emit.flatMap { format in
            try result.plans.first.map {
                try launchText($0, format: format, model: resolved.model, slices: resolved.slices?.count ?? 1, gpuArchMajor: arch,
                               hasBF16: resolved.cluster.accelerator.peakTFLOPS.bf16 > 0)
            }
        }
        let times = try request.timeToTrain.map { settings in
            try result.plans.map {
                try TimeToTrainOutput.compute($0, settings: settings, model: resolved.model, cluster: resolved.cluster)
            }
        }
        switch output.format {
        case .json:
            try JSONOutput.print(PlanJSON(result: result, launch: launch, times: times))
        case .table:
            print(PlanTable.render(result, model: resolved.model, cluster: resolved.cluster, times: times))
            if let launch { print("\n" + launch) }
        }
    }

    /// The request: the workload, and every layout flag given as a fixed dimension.
    func planRequest(_ resolved: ResolvedWorkload) throws -> PlanRequest {
        var recipeOptions = self.recipeOptions
        if try !recipeOptions.sets("framework") { recipeOptions.framework = emit?.framework }
        if emit == .peft {
            // The emitted configuration runs in transformers and PEFT: a causal LM's loss over
            // logits upcast to fp32 (ForCausalLMLoss), and for QLoRA the unquantised weights in
            // fp32 (prepare_model_for_kbit_training, which TRL's SFTTrainer calls).
            if try !recipeOptions.sets("fp32_logits_loss"), !resolved.model.isEncoderDecoder, resolved.model.outputHead == .lmHead {
                recipeOptions.assignments.append("fp32_logits_loss=true")
            }
            if try !recipeOptions.sets("fp32_unquantized_weights"), try recipeOptions.recipe().fineTuning.method == .qlora {
                recipeOptions.assignments.append("fp32_unquantized_weights=true")
            }
        }
        let constraints = try layoutOptions.planConstraints(recipeOptions)
        return PlanRequest(gpus: resolved.gpus, globalBatch: resolved.globalBatch, seq: resolved.seq,
                           constraints: constraints, objective: objective, top: top,
                           maxMemoryFraction: maxMemoryFraction, allowCrossNodeTP: allowCrossNodeTP,
                           targetSeq: resolved.targetSeq)
    }

    func launchText(_ plan: Estimate, format: LaunchFormat, model: TransformerModel, slices: Int, gpuArchMajor: Int,
                    hasBF16: Bool = true) throws -> String {
        switch format {
        case .megatron: return try LaunchArguments.megatron(plan, model: model, gpuArchMajor: gpuArchMajor)
        case .torchtitan: return try LaunchArguments.torchtitan(plan, model: model)
        case .deepspeed: return try LaunchArguments.deepspeed(plan, model: model)
        case .maxtext:
            try LaunchArguments.requirePrecision(plan, target: "maxtext", in: [.bf16])
            guard let inputs = MaxTextArguments.inputs(for: plan, slices: slices) else {
                throw LayoutError(MaxTextArguments.noMeshMessage(plan, slices: slices, unit: "slice"))
            }
            return MaxTextArguments.text(inputs, model: model)
        case .peft: return PEFTArguments.json(plan, model: model, hasBF16: hasBF16)
        }
    }

    /// Three searches; the median search time and layouts per second.
    func runBenchmark(_ planner: Planner, request: PlanRequest, resolved: ResolvedWorkload) throws {
        var runs: [PlanResult] = []
        var cpuSeconds: [Double] = []
        for _ in 0..<3 {
            let before = ProcessCPUTime.seconds()
            runs.append(try planner.planSynchronously(request))
            cpuSeconds.append(ProcessCPUTime.seconds() - before)
        }
        let order = runs.indices.sorted { runs[$0].searchSeconds < runs[$1].searchSeconds }
        let median = runs[order[1]]
        let medianCPU = cpuSeconds.sorted()[1]
        let perCPUSecond = medianCPU > 0 ? Double(median.evaluated + median.pruned) / medianCPU : 0
        let cores = ProcessInfo.processInfo.activeProcessorCount
        switch output.format {
        case .json:
            try JSONOutput.print(PlanBenchmark(model: resolved.model.name, gpus: request.gpus, globalBatch: request.globalBatch,
                                               seq: request.seq, evaluated: median.evaluated, pruned: median.pruned,
                                               searchSeconds: runs.map(\.searchSeconds),
                                               medianSearchSeconds: median.searchSeconds,
                                               layoutsPerS: median.layoutsPerSecond,
                                               layoutsPerSPerCore: median.layoutsPerSecond / Double(max(cores, 1)),
                                               cores: cores, medianCpuSeconds: medianCPU, layoutsPerCpuSecond: perCPUSecond))
        case .table:
            print(String(format: "%@ on %d GPUs, global batch %d, seq %d: evaluated %d, pruned %d",
                         resolved.model.name, request.gpus, request.globalBatch, request.seq, median.evaluated, median.pruned))
            print("search seconds: " + runs.map { String(format: "%.4f", $0.searchSeconds) }.joined(separator: ", "))
            print(String(format: "median %.4f s: %.0f layouts/s (%.0f per core, %d cores)", median.searchSeconds,
                         median.layoutsPerSecond, median.layoutsPerSecond / Double(max(cores, 1)), cores))
            print(String(format: "median CPU time %.4f s: %.0f layouts per CPU-second", medianCPU, perCPUSecond))
        }
    }
}

/// `plan --format json`: the PlanResult fields (ARCHITECTURE.md, Contracts) plus `launch` with --emit,
/// and with --train-tokens each plan's `time_to_train` object.
struct PlanJSON: Encodable {
    var result: PlanResult
    var launch: String?
    var times: [TimeToTrainReport]? = nil

    enum CodingKeys: String, CodingKey { case launch, plans }

    func encode(to encoder: Encoder) throws {
        try result.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(launch, forKey: .launch)
        if let times {
            // The same plans again, each with its time to train (replaces the key written above).
            try container.encode(zip(result.plans, times).map { EstimateWithTime(estimate: $0, timeToTrain: $1) },
                                 forKey: .plans)
        }
    }
}

/// `plan --benchmark --format json`.
struct PlanBenchmark: Encodable {
    var model: String
    var gpus: Int
    var globalBatch: Int
    var seq: Int
    var evaluated: Int
    var pruned: Int
    var searchSeconds: [Double]
    var medianSearchSeconds: Double
    var layoutsPerS: Double
    var layoutsPerSPerCore: Double
    var cores: Int
    /// CPU time of the whole process during the median search (all threads): unlike the wall
    /// clock, not inflated when other processes share the cores.
    var medianCpuSeconds: Double
    var layoutsPerCpuSecond: Double
}

/// CPU time used by this process so far, all threads (Linux `CLOCK_PROCESS_CPUTIME_ID`).
enum ProcessCPUTime {
    static func seconds() -> Double {
        #if os(Linux)
        var time = timespec()
        guard clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time) == 0 else { return 0 }
        return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
        #else
        return 0
        #endif
    }
}

/// The human-readable plan list.
enum PlanTable {
    static func render(_ result: PlanResult, model: TransformerModel, cluster: ClusterTopology,
                       times: [TimeToTrainReport]? = nil) -> String {
        var lines: [String] = []
        if let first = result.plans.first {
            lines.append("\(model.name) on \(first.layout.gpus) x \(cluster.accelerator.name) (\(cluster.jobLabel(gpus: first.layout.gpus))), "
                + "\(first.recipe.recipe.summary), global batch \(first.layout.globalBatch) x \(first.layout.seq) tokens, "
                + "best by \(result.objective.rawValue)")
            lines.append("")
        }
        var table = TextTable(["#", "gpus", "tp", "pp", "dp", "cp", "ep", "vpp", "zero", "recompute", "sp", "flash", "mb", "step s",
                               "tokens/s", "MFU", "mem GiB", "mem %", "compute", "recomp", "bubble", "tp comm",
                               "pp comm", "dp comm"] + (times == nil ? [] : ["days", "goodput", "days w/ fail"]))
        for (index, plan) in result.plans.enumerated() {
            let l = plan.layout
            let t = plan.time
            let capacity = plan.memory.capacity
            table.add([
                "\(index + 1)", "\(l.gpus)", "\(l.tp)", "\(l.pp)", "\(l.dp)", "\(l.cp)", "\(l.ep)", "\(l.vpp)", "\(l.zero)",
                plan.recipe.remat?.rawValue ?? l.recompute.rawValue, l.sequenceParallel ? "on" : "off", l.flashAttention ? "on" : "off", "\(l.microBatch)",
                String(format: "%.3f", plan.stepTimeS), String(format: "%.0f", plan.tokensPerS),
                String(format: "%.1f%%", 100 * plan.mfu), String(format: "%.1f", plan.memory.total / gibibyte),
                String(format: "%.0f%%", capacity > 0 ? 100 * plan.memory.total / capacity : 0),
                String(format: "%.3f", t.compute), String(format: "%.3f", t.recompute), String(format: "%.3f", t.bubble),
                String(format: "%.3f", t.tpComm), String(format: "%.3f", t.ppComm), String(format: "%.3f", t.dpComm),
            ] + (times.map { times in
                let time = times[index]
                return [String(format: "%.1f", time.idealDays), String(format: "%.1f%%", 100 * time.goodput),
                        String(format: "%.1f", time.expectedDays)]
            } ?? []))
        }
        lines.append(table.render())
        lines.append("")
        lines.append(result.explanation)
        if let best = times?.first {
            lines.append("best plan:")
            lines += TimeToTrainOutput.lines(best)
        }
        lines.append(String(format: "evaluated %d, pruned %d in %.3f s (%.0f layouts/s)", result.evaluated, result.pruned,
                            result.searchSeconds, result.layoutsPerSecond))
        return lines.joined(separator: "\n")
    }
}

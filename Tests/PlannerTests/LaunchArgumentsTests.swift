import CostModel
import Foundation
import Hardware
import Testing
import Workloads
@testable import Planner

/// The emitted flags, with expected values written out by hand from the frameworks' rules
/// (Tests/emit/README.md, read from megatron-core 0.19.2, torchtitan 0.3.0, deepspeed 0.19.8).
/// scripts/check-emit-plans.sh feeds the same emitters' output to the frameworks themselves.
@Suite struct LaunchArgumentsTests {
    let model = megatronGPT(layers: 96, hidden: 12288, heads: 96)

    func estimate(_ layout: ParallelLayout, _ recipe: TrainingRecipe = TrainingRecipe(flashAttention: false),
                  model: TransformerModel? = nil) -> Estimate {
        Estimator(model: model ?? self.model, cluster: cluster()).estimate(layout, recipe: recipe)
    }

    /// The flag's value in a flat argument list.
    func value(_ flag: String, in args: [String]) -> String? {
        args.firstIndex(of: flag).flatMap { args.indices.contains($0 + 1) ? args[$0 + 1] : nil }
    }

    @Test func megatronModelPrecisionAndLayout() throws {
        let plan = estimate(ParallelLayout(tp: 8, pp: 8, dp: 16, cp: 2, vpp: 3, zero: 1,
                                           sequenceParallel: true, microBatch: 1, globalBatch: 1024, seq: 2048),
                            TrainingRecipe(recompute: .full, flashAttention: false, overlapGradReduce: true, overlapParamGather: true))
        let args = try LaunchArguments.megatronArguments(plan, model: model)
        // The model: GPT-3 style (learned positions, GeLU, LayerNorm, biases, untied here).
        #expect(value("--num-layers", in: args) == "96" && value("--hidden-size", in: args) == "12288")
        #expect(value("--ffn-hidden-size", in: args) == "49152" && value("--num-attention-heads", in: args) == "96")
        #expect(value("--position-embedding-type", in: args) == "learned_absolute")
        #expect(!args.contains("--swiglu") && !args.contains("--group-query-attention") && !args.contains("--disable-bias-linear"))
        #expect(args.contains("--untie-embeddings-and-output-weights") && args.contains("--bf16"))
        #expect(value("--attention-backend", in: args) == "unfused")
        // 96 layers = 8 stages x 3 virtual x 4 layers.
        #expect(value("--num-layers-per-virtual-pipeline-stage", in: args) == "4")
        #expect(value("--context-parallel-size", in: args) == "2" && value("--cp-comm-type", in: args) == "p2p")
        #expect(args.contains("--use-distributed-optimizer") && args.contains("--overlap-grad-reduce")
            && args.contains("--overlap-param-gather"))
        #expect(!args.contains("--use-flash-attn") && !args.contains("--use-custom-fsdp"))
        // TP with Hopper: the asserted environment; Blackwell lifts it.
        #expect(MegatronArguments.environment(plan, gpuArchMajor: 9) == ["CUDA_DEVICE_MAX_CONNECTIONS=1"])
        #expect(MegatronArguments.environment(plan, gpuArchMajor: 10).isEmpty)
        #expect(try LaunchArguments.megatron(plan, model: model).contains("megatron-core 0.19"))
    }

    @Test func fp8AddsTransformerEngineFlags() throws {
        let plan = estimate(ParallelLayout(tp: 8, pp: 1, dp: 8, microBatch: 1, globalBatch: 64, seq: 2048),
                            TrainingRecipe(precision: .fp8, flashAttention: true))
        let args = try LaunchArguments.megatronArguments(plan, model: model)
        #expect(args.contains("--bf16") && value("--fp8-format", in: args) == "hybrid" && value("--attention-backend", in: args) == "flash")
        // MXFP8 is a Blackwell format: refused for Hopper, emitted for sm 10.
        let mx = estimate(ParallelLayout(tp: 8, pp: 1, dp: 8, microBatch: 1, globalBatch: 64, seq: 2048),
                          TrainingRecipe(precision: .mxfp8, flashAttention: true))
        #expect(throws: EmitError.self) { try LaunchArguments.megatronArguments(mx, model: model, gpuArchMajor: 9) }
        #expect(value("--fp8-recipe", in: try LaunchArguments.megatronArguments(mx, model: model, gpuArchMajor: 10)) == "mxfp8")
    }

    @Test func zero3IsMegatronFSDPWithItsCheckpointFormat() throws {
        let plan = estimate(ParallelLayout(tp: 2, pp: 1, dp: 64, zero: 3, microBatch: 1, globalBatch: 512, seq: 2048))
        let args = try LaunchArguments.megatronArguments(plan, model: model).joined(separator: " ")
        #expect(args.contains("--use-megatron-fsdp --data-parallel-sharding-strategy optim_grads_params --ckpt-format fsdp_dtensor"))
        #expect(!args.contains("--use-custom-fsdp"))
        // Megatron-FSDP wants more than one CUDA connection: no CUDA_DEVICE_MAX_CONNECTIONS=1.
        #expect(MegatronArguments.environment(plan, gpuArchMajor: 9).isEmpty)
    }

    /// Llama 3.1 405B (126 layers) on PP 16: without VPP, StageAssignment's 7, 14 x 8, 7
    /// (7 + 112 + 7 = 126); with VPP 2 the 7s are not divisible by 2, so 8, 14 x 8, 6 (the
    /// bottleneck stays ceil(126/16) = 8 layers; issue 18's "first stage 7 not divisible by 2").
    @Test func unevenStagesFollowMegatronsDivisibilityRule() throws {
        #expect(try PipelineSplit.megatron(layers: 126, stages: 16, virtual: 1) == PipelineSplit(first: 7, last: 7, middle: 8))
        #expect(try PipelineSplit.megatron(layers: 126, stages: 16, virtual: 2) == PipelineSplit(first: 8, last: 6, middle: 8))
        #expect(try PipelineSplit.megatron(layers: 80, stages: 4, virtual: 2).isEven)
        // 96 layers, 10 stages, 3 virtual: F, L, middle multiples of 3, at most 10 each, and
        // F + L + 8 x middle = 96 has no solution (9+9+8x9.75, ..., 3+3+8x11.25).
        #expect(throws: EmitError.self) { try PipelineSplit.megatron(layers: 96, stages: 10, virtual: 3) }
        let plan = estimate(ParallelLayout(tp: 8, pp: 10, dp: 1, vpp: 3, microBatch: 1, globalBatch: 60, seq: 2048))
        #expect(throws: EmitError.self) { try LaunchArguments.megatron(plan, model: model) }
    }

    @Test func torchtitanCLIForARegistryModel() throws {
        let llama = try ModelCatalog.preset(named: "llama-3.1-70b")
        let plan = estimate(ParallelLayout(tp: 8, pp: 4, dp: 2, vpp: 2, zero: 3, sequenceParallel: true,
                                           microBatch: 1, globalBatch: 512, seq: 8192),
                            TrainingRecipe(framework: .torchtitan, recompute: .selective), model: llama)
        let args = try TorchtitanArguments.argumentLines(plan, model: llama).flatMap { $0 }
        #expect(Array(args.prefix(4)) == ["--module", "llama3", "--config", "llama3_70b"])
        #expect(value("--parallelism.data_parallel_shard_degree", in: args) == "2")
        #expect(value("--parallelism.pipeline_parallel_schedule", in: args) == "Interleaved1F1B")
        // 80 layers / (4 x 2) stages = 10 per stage, embedding and output not counted.
        #expect(value("--parallelism.pipeline_parallel_layers_per_stage", in: args) == "10")
        // The replica's 512 / 2 = 256 sequences, split by the pipeline into micro-batches of 1.
        #expect(value("--training.local_batch_size", in: args) == "256")
        #expect(args.contains("--training.disable_cuda_graphs") && args.last == "activation-checkpoint:selective")
        #expect(!args.contains { $0.contains("num_pp_microbatches") })
        let zero1 = estimate(ParallelLayout(tp: 8, pp: 1, dp: 8, zero: 1, sequenceParallel: true, microBatch: 1,
                                            globalBatch: 64, seq: 8192), model: llama)
        #expect(throws: EmitError.self) { try TorchtitanArguments.argumentLines(zero1, model: llama) }
        #expect(throws: EmitError.self) { try TorchtitanArguments.argumentLines(zero1, model: model) }
    }

    /// `fused_kernels` in the launch configuration: torchtitan's `--compile.enable` when asked for
    /// (its default is eager), Hugging Face Trainer's `torch_compile` for an eager framework, and
    /// Megatron refuses eager kernels, which its fused model code cannot run.
    @Test func fusedKernelsAreEmittedOrRefused() throws {
        let llama = try ModelCatalog.preset(named: "llama-3.1-8b")
        let layout = ParallelLayout(dp: 8, zero: 3, microBatch: 1, globalBatch: 64, seq: 8192)
        var compiled = TrainingRecipe(framework: .torchtitan, recompute: .selective)
        let eagerArgs = try TorchtitanArguments.argumentLines(estimate(layout, compiled, model: llama), model: llama).flatMap { $0 }
        #expect(!eagerArgs.contains("--compile.enable"))
        compiled.fusedKernels = true
        let args = try TorchtitanArguments.argumentLines(estimate(layout, compiled, model: llama), model: llama).flatMap { $0 }
        #expect(args.contains("--compile.enable") && args.last == "activation-checkpoint:selective")
        var unfused = TrainingRecipe(flashAttention: false)
        unfused.fusedKernels = false
        #expect(throws: EmitError.self) {
            try LaunchArguments.megatronArguments(estimate(ParallelLayout(dp: 8, microBatch: 1, globalBatch: 64, seq: 2048), unfused),
                                                  model: model)
        }
    }

    @Test func deepspeedConfigAndWhatItCannotExpress() throws {
        let plan = estimate(ParallelLayout(tp: 8, pp: 35, dp: 8, zero: 1, microBatch: 1, globalBatch: 1920, seq: 2048),
                            TrainingRecipe(framework: .megatronDeepSpeed, recompute: .full))
        let json = try DeepSpeedArguments.config(plan, model: model)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        // 1920 = 1 x 240 x 8.
        #expect(object["train_batch_size"] as? Int == 1920)
        #expect(object["train_micro_batch_size_per_gpu"] as? Int == 1)
        #expect(object["gradient_accumulation_steps"] as? Int == 240)
        #expect((object["zero_optimization"] as? [String: Any])?["stage"] as? Int == 1)
        #expect((object["bf16"] as? [String: Any])?["enabled"] as? Bool == true)
        let flags = try DeepSpeedArguments.argumentLines(plan, model: model).flatMap { $0 }
        #expect(value("--pipeline-model-parallel-size", in: flags) == "35" && flags.contains("--bf16"))
        #expect(value("--num-layers", in: flags) == "96")
        #expect(try LaunchArguments.deepspeed(plan, model: model).contains("--deepspeed_config ds_config.json"))
        for layout in [ParallelLayout(tp: 8, pp: 1, dp: 8, cp: 2, zero: 1, microBatch: 1, globalBatch: 64, seq: 2048),
                       ParallelLayout(tp: 8, pp: 4, dp: 4, vpp: 2, zero: 1, microBatch: 1, globalBatch: 64, seq: 2048),
                       ParallelLayout(tp: 8, pp: 4, dp: 4, zero: 3, microBatch: 1, globalBatch: 64, seq: 2048)] {
            #expect(throws: EmitError.self) { try DeepSpeedArguments.config(estimate(layout), model: model) }
        }
    }

    /// bf16 optimizer states: Megatron's precision-aware optimizer flags under the distributed
    /// optimizer; refused without it, for a nemo estimate and by the frameworks that keep fp32 states.
    @Test func bf16OptimizerStatesArePrecisionAwareOptimizerFlags() throws {
        var recipe = TrainingRecipe(flashAttention: false)
        recipe.optimizerStateDtype = .bf16
        let zero1 = ParallelLayout(tp: 8, pp: 4, dp: 4, zero: 1, microBatch: 1, globalBatch: 64, seq: 2048)
        let args = try LaunchArguments.megatronArguments(estimate(zero1, recipe), model: model).joined(separator: " ")
        #expect(args.contains("--use-distributed-optimizer --use-precision-aware-optimizer --main-grads-dtype bf16 --exp-avg-dtype bf16 --exp-avg-sq-dtype bf16"))
        #expect(!(try LaunchArguments.megatronArguments(estimate(zero1), model: model)).contains("--use-precision-aware-optimizer"))
        let zero0 = ParallelLayout(tp: 8, pp: 4, dp: 4, microBatch: 1, globalBatch: 64, seq: 2048)
        #expect(throws: EmitError.self) { try LaunchArguments.megatronArguments(estimate(zero0, recipe), model: model) }
        var nemo = recipe
        nemo.framework = .nemo
        #expect(throws: EmitError.self) { try LaunchArguments.megatronArguments(estimate(zero1, nemo), model: model) }
        #expect(throws: EmitError.self) { try LaunchArguments.deepspeed(estimate(zero1, recipe), model: model) }
    }

    /// A gradient reduction dtype other than the framework's, or a backward prefetch other than
    /// BACKWARD_PRE, is not in any emitter's flags: refused;
    /// the framework's own (fp32 for megatron-core, the fsdp-style 16-bit for deepspeed) passes.
    @Test func gradientReduceDtypeOnlyAtTheFrameworkDefault() throws {
        let layout = ParallelLayout(tp: 8, pp: 4, dp: 4, zero: 1, microBatch: 1, globalBatch: 64, seq: 2048)
        var recipe = TrainingRecipe(flashAttention: false)
        recipe.gradientReduceDtype = .fp32
        _ = try LaunchArguments.megatronArguments(estimate(layout, recipe), model: model)
        recipe.gradientReduceDtype = .bf16
        #expect(throws: EmitError.self) { try LaunchArguments.megatronArguments(estimate(layout, recipe), model: model) }
        var deepspeed = TrainingRecipe(framework: .deepspeed, flashAttention: false)
        deepspeed.gradientReduceDtype = .bf16
        let zero2 = ParallelLayout(tp: 1, pp: 1, dp: 8, zero: 2, microBatch: 1, globalBatch: 64, seq: 2048)
        _ = try LaunchArguments.deepspeed(estimate(zero2, deepspeed), model: model)
        deepspeed.gradientReduceDtype = .fp32
        #expect(throws: EmitError.self) { try LaunchArguments.deepspeed(estimate(zero2, deepspeed), model: model) }
        // FSDP's BACKWARD_POST (Composer's default) is in no emitter's flags either.
        let llama = try ModelCatalog.preset(named: "llama-3.1-70b")
        var titan = TrainingRecipe(framework: .torchtitan, recompute: .selective)
        titan.backwardPrefetch = .pre
        let fsdp = ParallelLayout(tp: 8, pp: 4, dp: 2, vpp: 2, zero: 3, sequenceParallel: true, microBatch: 1,
                                  globalBatch: 512, seq: 8192)
        _ = try TorchtitanArguments.argumentLines(estimate(fsdp, titan, model: llama), model: llama)
        titan.backwardPrefetch = .post
        #expect(throws: EmitError.self) { try TorchtitanArguments.argumentLines(estimate(fsdp, titan, model: llama), model: llama) }
    }

    /// Kernels the emitted flags do not select (Composer's per-op optimizer step, TE's fused
    /// grouped MLP and FP8 attention, Megatron-Core's per-module recomputation) are refused, each
    /// with a message naming the field; the fused optimizer step, every framework's default, passes.
    @Test func kernelChoicesTheFlagsDoNotSelectAreRefused() throws {
        let layout = ParallelLayout(tp: 8, pp: 4, dp: 4, zero: 1, microBatch: 1, globalBatch: 64, seq: 2048)
        var fused = TrainingRecipe(flashAttention: false)
        fused.optimizerStep = .fused
        _ = try LaunchArguments.megatronArguments(estimate(layout, fused), model: model)
        var cases: [(String, TrainingRecipe)] = []
        var perOp = TrainingRecipe(flashAttention: false)
        perOp.optimizerStep = .perOp
        cases.append(("optimizer_step", perOp))
        var grouped = TrainingRecipe(flashAttention: false)
        grouped.fusedGroupedMLP = true
        cases.append(("fused_grouped_mlp", grouped))
        var fp8 = TrainingRecipe(flashAttention: false)
        fp8.fp8Attention = true
        cases.append(("fp8_attention", fp8))
        var modules = TrainingRecipe(flashAttention: false)
        modules.recomputeModules = [.layernorm]
        cases.append(("recompute_modules", modules))
        for (field, recipe) in cases {
            do {
                _ = try LaunchArguments.megatronArguments(estimate(layout, recipe), model: model)
                Issue.record("\(field) was emitted")
            } catch let error as EmitError {
                #expect(error.description.contains(field), "\(error.description)")
            }
        }
    }

    /// LoRA trains adapters, which no pretraining framework's flags express: one error each.
    @Test func adapterPlansAreOnlyPEFTs() throws {
        var recipe = TrainingRecipe(flashAttention: true)
        recipe.fineTuning = FineTuning(method: .lora)
        let plan = estimate(ParallelLayout(tp: 1, pp: 1, dp: 8, microBatch: 1, globalBatch: 64, seq: 2048), recipe)
        #expect(throws: EmitError.self) { try LaunchArguments.megatron(plan, model: model) }
        #expect(throws: EmitError.self) { try LaunchArguments.torchtitan(plan, model: model) }
        #expect(throws: EmitError.self) { try LaunchArguments.deepspeed(plan, model: model) }
    }

    @Test func computeCapabilityFromTheAcceleratorName() {
        #expect(LaunchArguments.cudaArchMajor(acceleratorName: "H100-SXM5-80GB") == 9)
        #expect(LaunchArguments.cudaArchMajor(acceleratorName: "A100-SXM4-80GB") == 8)
        #expect(LaunchArguments.cudaArchMajor(acceleratorName: "GeForce RTX 4090") == 8)
        #expect(LaunchArguments.cudaArchMajor(acceleratorName: "B200-SXM-180GB") == 10)
        #expect(LaunchArguments.cudaArchMajor(acceleratorName: "TPU v5p") == 0)
    }
}

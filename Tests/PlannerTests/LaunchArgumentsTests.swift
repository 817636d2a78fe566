import CostModel
import Foundation
import Hardware
import Testing
import Workloads
@testable import Planner

@Suite struct LaunchArgumentsTests {
    let model = megatronGPT(layers: 96, hidden: 12288, heads: 96)

    func estimate(_ layout: ParallelLayout, _ recipe: TrainingRecipe = TrainingRecipe(flashAttention: false)) -> Estimate {
        Estimator(model: model, cluster: cluster()).estimate(layout, recipe: recipe)
    }

    @Test func megatronFlags() {
        let plan = estimate(ParallelLayout(tp: 8, pp: 8, dp: 16, cp: 2, vpp: 3, zero: 1,
                                           sequenceParallel: true, microBatch: 1, globalBatch: 1024, seq: 2048),
                            TrainingRecipe(recompute: .full, flashAttention: false))
        #expect(LaunchArguments.megatron(plan, model: model) ==
            "--tensor-model-parallel-size 8 --pipeline-model-parallel-size 8 --num-layers-per-virtual-pipeline-stage 4 "
            + "--context-parallel-size 2 --sequence-parallel --recompute-granularity full --recompute-method uniform "
            + "--recompute-num-layers 1 --use-distributed-optimizer --micro-batch-size 1 --global-batch-size 1024 "
            + "--seq-length 2048")
        let selective = estimate(ParallelLayout(tp: 8, pp: 16, dp: 8, microBatch: 2, globalBatch: 1536, seq: 2048),
                                 TrainingRecipe(recompute: .selective, flashAttention: false))
        let args = LaunchArguments.megatronArguments(selective, model: model)
        #expect(args.contains("selective") && !args.contains("--use-distributed-optimizer"))
        #expect(!args.contains("--num-layers-per-virtual-pipeline-stage"))
    }

    @Test func zero3IsMegatronCoreFSDP() {
        let plan = estimate(ParallelLayout(tp: 2, pp: 1, dp: 64, zero: 3, microBatch: 1, globalBatch: 512, seq: 2048))
        let args = LaunchArguments.megatron(plan, model: model)
        #expect(args.contains("--use-custom-fsdp --data-parallel-sharding-strategy optim_grads_params"))
    }

    @Test func unevenStagesNameTheFirstAndLastStageLayers() {
        // 96 layers on 10 stages: 9 layers on stages 0-2 and 7-9, 10 on the six middle ones.
        let plan = estimate(ParallelLayout(tp: 8, pp: 10, dp: 1, vpp: 3, microBatch: 1, globalBatch: 60, seq: 2048))
        let args = LaunchArguments.megatron(plan, model: model)
        #expect(args.contains("--decoder-first-pipeline-num-layers 9 --decoder-last-pipeline-num-layers 9"))
        #expect(args.contains("--num-virtual-stages-per-pipeline-rank 3"))
    }

    @Test func torchtitanTOML() {
        let plan = estimate(ParallelLayout(tp: 8, pp: 4, dp: 32, zero: 3, microBatch: 1, globalBatch: 1024, seq: 8192),
                            TrainingRecipe(framework: .torchtitan, recompute: .selective, flashAttention: false))
        let toml = LaunchArguments.torchtitan(plan, model: model)
        for line in ["[parallelism]", "data_parallel_shard_degree = 32", "tensor_parallel_degree = 8",
                     "pipeline_parallel_degree = 4", "context_parallel_degree = 1", "[training]",
                     "local_batch_size = 32", "seq_len = 8192", "[activation_checkpoint]", "mode = \"selective\""] {
            #expect(toml.contains(line), "missing \(line)")
        }
    }

    @Test func deepspeedConfig() throws {
        let plan = estimate(ParallelLayout(tp: 8, pp: 35, dp: 8, zero: 1, microBatch: 1, globalBatch: 1920, seq: 2048),
                            TrainingRecipe(framework: .megatronDeepSpeed, recompute: .full))
        let json = LaunchArguments.deepspeedConfig(plan)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(object["train_batch_size"] as? Int == 1920)
        #expect(object["train_micro_batch_size_per_gpu"] as? Int == 1)
        #expect(object["gradient_accumulation_steps"] as? Int == 240)
        #expect((object["zero_optimization"] as? [String: Any])?["stage"] as? Int == 1)
        let flags = LaunchArguments.megatronDeepSpeedArguments(plan)
        #expect(flags.starts(with: ["--tensor-model-parallel-size", "8", "--pipeline-model-parallel-size", "35"]))
        #expect(LaunchArguments.deepspeed(plan).contains("--deepspeed_config ds_config.json"))
    }
}

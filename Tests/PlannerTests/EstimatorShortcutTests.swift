import CostModel
import Hardware
import Testing
import Workloads

/// The CostModel shortcuts the planner's speed rests on give exactly the long way's results:
/// `StageAssignment.firstLayer` in closed form, and `Estimator.peakMemory` checking only the
/// stages that can be the maximum (against the full per-stage list of `estimate`).
@Suite struct EstimatorShortcutTests {
    @Test func firstLayerIsTheSumOfTheStagesBefore() {
        for layers in [1, 7, 24, 61, 96, 105, 126] {
            for stages in 1...min(layers, 70) {
                let assignment = StageAssignment(stages: stages, layers: layers)
                var start = 0
                for stage in 0..<stages {
                    #expect(assignment.firstLayer(ofStage: stage) == start)
                    start += assignment.layers(onStage: stage)
                }
                #expect(start == layers)
            }
        }
    }

    @Test func peakMemoryIsTheMostLoadedStageOfTheFullEstimate() {
        let c = cluster()
        let dense = megatronGPT(layers: 30, hidden: 3072, heads: 32)
        let moe = TransformerModel(name: "moe", layers: 13, hidden: 1024, heads: 16, ffn: 4096, mlp: .swiglu,
                                   vocab: 32000, maxSeq: 2048,
                                   moe: MoEConfig(experts: 8, expertsPerToken: 2, expertFFN: 1024, denseLayers: 1,
                                                  layerFrequency: 2))
        var checked = 0
        for model in [dense, moe] {
            let estimator = Estimator(model: model, cluster: c)
            for pp in [2, 3, 4, 7, 8, 13] where pp <= model.layers {
                for vpp in [1, 2] where vpp == 1 || model.layers >= pp * vpp {
                    for schedule in PipelineScheduleKind.allCases where vpp == 1 || schedule == .oneForwardOneBackward {
                        for recompute in Recompute.allCases {
                            for microBatch in [1, 2] {
                                let layout = ParallelLayout(tp: 2, pp: pp, dp: 2, vpp: vpp, zero: 1,
                                                            microBatch: microBatch, globalBatch: 8 * pp,
                                                            seq: 2048, schedule: schedule)
                                let recipe = TrainingRecipe(recompute: recompute, flashAttention: false)
                                #expect(estimator.peakMemory(layout, recipe: recipe)
                                        == estimator.estimate(layout, recipe: recipe).memory.total,
                                        "\(model.name) pp \(pp) vpp \(vpp) \(schedule) \(recompute) mb \(microBatch)")
                                checked += 1
                            }
                        }
                    }
                }
            }
        }
        #expect(checked > 100)
    }
}

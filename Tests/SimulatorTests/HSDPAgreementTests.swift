import CostModel
import Hardware
import Simulator
import Testing
import Workloads

/// HSDP on two TPU v4 slices (MaxText's fsdp axis per slice, data axis over DCN): the simulator
/// schedules the replicas' all-reduce as the estimator composes it, so simulate = estimate
/// within 1% with the gradient-reduction overlap on and off, and without overlap the all-reduce
/// lengthens the step.
@Suite struct HSDPAgreementTests {
    @Test(arguments: [true, false])
    func simulateEqualsEstimate(overlap: Bool) throws {
        let model = try ModelCatalog.preset(named: "llama-3.1-8b")
        let v4 = try TopologyCatalog.load("tpu-v4")
        let cluster = v4.restricted(to: try #require(try v4.torusSlices(gpus: 256, slices: 2)))
        let layout = ParallelLayout(dp: 256, zero: 3, microBatch: 16, globalBatch: 4096, seq: 2048, shardGroup: 128)
        let recipe = TrainingRecipe(framework: .maxtext, recompute: .full, overlapGradReduce: overlap)
        try LayoutValidation.check(layout, recipe: recipe, model: model, cluster: cluster, gpus: 256)
        let analytic = Estimator(model: model, cluster: cluster).evaluate(layout, recipe: recipe).stepSeconds
        let simulated = try StepSimulator(model: model, cluster: cluster).simulate(layout, recipe: recipe).stepSeconds
        #expect(abs(simulated / analytic - 1) < 0.01, "simulated \(simulated) s, analytic \(analytic) s")
        // The all-reduce crosses the slices: one rank per slice, over DCN.
        let placement = RankPlacement(layout: layout, gpusPerNode: cluster.acceleratorsPerNode)
        let shape = placement.shardReplicaGroup.shape(on: cluster)
        #expect(shape.size == 2 && shape.domains == 2)
        let tasks = DataParallelTasks(stage: 0, geometry: LayerGeometry(model: model), model: model, cluster: cluster,
                                      layout: layout, recipe: recipe, placement: placement)
        #expect(tasks.replicaAllReduceSeconds > 0 && tasks.shards == 128)
    }
}

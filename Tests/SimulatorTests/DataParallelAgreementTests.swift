import CostModel
import Hardware
import Simulator
import Testing
import Workloads

/// One data-parallel model: the simulator schedules the tasks `DataParallelTasks` costs and the
/// estimator composes the same tasks in closed form, so simulate = estimate within 1% for every
/// ZeRO stage, with the DP overlap switches on and off, with and without pipeline parallelism.
///
/// The residual differences are the schedule's: the simulated p2p transfers that hide behind
/// work the estimator charges in series (AnalyticAgreementTests), and the buckets of an
/// overlapped reduction that end inside the backward.
@Suite struct DataParallelAgreementTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var model: String
        var cluster: String
        var layout: ParallelLayout
        var recompute: Recompute
        var testDescription: String {
            "\(model) tp \(layout.tp) pp \(layout.pp) dp \(layout.dp) zero \(layout.zero) mb \(layout.microBatch)"
        }
    }

    static let shapes: [Case] = [
        // GPT-3 175B on 128 A100s, TP 8, PP 4 (the case, 16 micro-batches per replica).
        Case(model: "gpt3-175b", cluster: "dgx-a100-80gb",
             layout: ParallelLayout(tp: 8, pp: 4, dp: 4, microBatch: 1, globalBatch: 64, seq: 2048), recompute: .full),
        Case(model: "llama-3.1-8b", cluster: "dgx-h100",
             layout: ParallelLayout(tp: 2, pp: 2, dp: 8, microBatch: 1, globalBatch: 64, seq: 8192), recompute: .none),
        Case(model: "llama-3.1-8b", cluster: "dgx-h100",
             layout: ParallelLayout(dp: 16, microBatch: 2, globalBatch: 64, seq: 8192), recompute: .none),
    ]

    static let cases: [(Case, Bool)] = shapes.flatMap { shape in
        (0...3).flatMap { zero -> [(Case, Bool)] in
            var c = shape
            c.layout.zero = zero
            return [(c, true), (c, false)]
        }
    }

    @Test(arguments: cases)
    func simulateEqualsEstimate(_ c: Case, overlap: Bool) throws {
        let model = try ModelCatalog.preset(named: c.model)
        let cluster = try TopologyCatalog.load(c.cluster)
        let recipe = TrainingRecipe(framework: .megatronCore, recompute: c.recompute,
                                    overlapGradReduce: overlap, overlapParamGather: overlap)
        try LayoutValidation.check(c.layout, recipe: recipe, model: model, cluster: cluster)
        let analytic = Estimator(model: model, cluster: cluster).evaluate(c.layout, recipe: recipe).stepSeconds
        let simulated = try StepSimulator(model: model, cluster: cluster).simulate(c.layout, recipe: recipe).stepSeconds
        let error = simulated / analytic - 1
        #expect(abs(error) < 0.01, "\(c.testDescription) overlap \(overlap): simulated \(simulated) s, analytic \(analytic) s")
    }

    /// ZeRO-3's per-micro-batch gathers and reduce-scatter are paid by every stage on every
    /// micro-batch, so they lengthen the pipeline bubble as compute does: with p stages and m
    /// micro-batches the step grows by (m + p - 1) x their exposed time, not m x: the bubble by
    /// (p - 1) x (GPT-3 175B, TP 8, PP 4, 16 micro-batches, no overlap: the gathers and the
    /// reduce-scatter are in series).
    @Test func zero3CommunicationLengthensTheBubble() throws {
        let model = try ModelCatalog.preset(named: "gpt3-175b")
        let cluster = try TopologyCatalog.load("dgx-a100-80gb")
        var layout = ParallelLayout(tp: 8, pp: 4, dp: 4, zero: 3, microBatch: 1, globalBatch: 64, seq: 2048)
        let recipe = TrainingRecipe(framework: .megatronLM, recompute: .full)
        let estimator = Estimator(model: model, cluster: cluster)
        let sharded = estimator.evaluate(layout, recipe: recipe)
        layout.zero = 0
        let replicated = estimator.evaluate(layout, recipe: recipe)
        // The per-micro-batch ZeRO-3 traffic of one stage, 2 gathers of the bf16 weights and one
        // reduce-scatter of the fp32 gradients (Megatron's main gradients), from the accounting.
        let placement = RankPlacement(layout: layout, gpusPerNode: cluster.acceleratorsPerNode)
        layout.zero = 3
        let tasks = DataParallelTasks(stage: 0, geometry: LayerGeometry(model: model), model: model, cluster: cluster,
                                      layout: layout, recipe: recipe, placement: placement)
        let perMicroBatch = 2 * tasks.perPassGatherSeconds + tasks.perBackwardScatterSeconds
        let p = 4.0
        // The bubble (idle time of the slowest stage) grows by (p - 1) x the stages' per-micro-
        // batch traffic; stages 0 and 3 gather their embedding and output layer too, so the
        // middle stages' traffic (the first stage's here) bounds it within a few percent.
        let bubbleGrowth = sharded.time.bubble - replicated.time.bubble
        #expect(abs(bubbleGrowth / ((p - 1) * perMicroBatch) - 1) < 0.05,
                "bubble grows \(bubbleGrowth) s vs (p - 1) x \(perMicroBatch) s")
        #expect(sharded.time.dpComm >= 16 * perMicroBatch * 0.95)
    }
}

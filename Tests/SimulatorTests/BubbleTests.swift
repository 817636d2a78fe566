import CostModel
import Hardware
import Simulator
import Testing
import Workloads

/// The pipeline bubble of the simulated schedules against Narayanan et al. 2021, section 2.2:
/// (p - 1)/(m + p - 1) of the pipeline for 1F1B, (p - 1)/v per micro-batch time for interleaving.
@Suite struct BubbleTests {
    /// Equal stages with free transfers: forward 1, backward 2 per micro-batch.
    static func equalCosts(stages p: Int, chunks v: Int = 1) -> [StageCosts] {
        var cost = StageCosts()
        cost.forward = 1.0 / Double(v)
        cost.backward = 2.0 / Double(v)
        return [StageCosts](repeating: cost, count: p)
    }

    @Test(arguments: [(4, 8), (8, 16), (8, 64), (2, 1), (16, 4)])
    func oneForwardOneBackwardBubble(_ shape: (Int, Int)) throws {
        let (p, m) = shape
        let layout = ParallelLayout(pp: p, microBatch: 1, globalBatch: m)
        let result = try StepSimulator.simulate(costs: Self.equalCosts(stages: p), layout: layout)
        let expected = Double(p - 1) / Double(m + p - 1)
        #expect(abs(result.pipelineSeconds - 3 * Double(m + p - 1)) < 1e-9)
        for stage in 0..<p {
            let fraction = result.pipelineIdleSeconds(stage: stage) / result.pipelineSeconds
            #expect(abs(fraction - expected) < 1e-9, "stage \(stage): bubble \(fraction), expected \(expected)")
        }
    }

    @Test(arguments: [(4, 8, 2), (4, 16, 4), (8, 16, 2), (2, 2, 3)])
    func interleavedBubble(_ shape: (Int, Int, Int)) throws {
        let (p, m, v) = shape
        let layout = ParallelLayout(pp: p, vpp: v, microBatch: 1, globalBatch: m)
        let result = try StepSimulator.simulate(costs: Self.equalCosts(stages: p, chunks: v), layout: layout)
        // Pipeline = (m + (p - 1)/v) x (F + B): the bubble shrinks by v.
        let expected = 3 * (Double(m) + Double(p - 1) / Double(v))
        #expect(abs(result.pipelineSeconds - expected) < 1e-9,
                "p \(p) m \(m) v \(v): pipeline \(result.pipelineSeconds), expected \(expected)")
    }

    @Test func gpipeBubble() throws {
        let layout = ParallelLayout(pp: 4, microBatch: 1, globalBatch: 8, schedule: .gpipe)
        let result = try StepSimulator.simulate(costs: Self.equalCosts(stages: 4), layout: layout)
        #expect(abs(result.pipelineSeconds - 3 * Double(8 + 3)) < 1e-9)
    }

    /// A real model whose stages are equal (layers divisible by pp, a tiny vocabulary so the
    /// embedding and logits are negligible): a middle stage idles (p - 1)/(m + p - 1) of the
    /// pipeline, up to the p2p transfers the cost model adds (kept small here: tp 2 x pp 4 puts
    /// adjacent stages on one node, so a transfer is ~0.1 ms against ~50 ms of passes; across
    /// nodes each steady-state 1F1B cycle waits for two transfers, which adds their share).
    @Test func middleStageOfEqualModel() throws {
        let model = megatronGPT(layers: 32, hidden: 4096, heads: 32, vocab: 128)
        let cluster = try dgxA100()
        let (p, m) = (4, 12)
        let (layout, recipe) = megatronLayout(tp: 2, pp: p, m: m)
        try LayoutValidation.check(layout, recipe: recipe, model: model, cluster: cluster)
        let result = try StepSimulator(model: model, cluster: cluster).simulate(layout, recipe: recipe)
        let expected = Double(p - 1) / Double(m + p - 1)
        let fraction = result.pipelineIdleSeconds(stage: p / 2) / result.pipelineSeconds
        #expect(abs(fraction - expected) < 0.01 * expected, "bubble \(fraction), expected \(expected)")
    }
}

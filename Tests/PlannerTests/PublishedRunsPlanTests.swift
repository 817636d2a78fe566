import CostModel
import Foundation
import Hardware
import Testing
import Validation
import Workloads
@testable import Planner

/// The planner against the 22 published runs of `Validation/published-runs.json` (Megatron-LM
/// 2021 Table 1, GPT-3 175B, Korthikanti et al. 2022, MT-NLG 530B): with the same GPU count,
/// global batch, sequence length and framework, the best plan must be predicted at least as
/// fast as the layout the authors ran, and that layout must rank near the top.
///
/// Each search fixes the published ZeRO stage and recomputation (what the authors' software
/// offered: Megatron-LM 2021 had only full recomputation), and above 64 GPUs also the published
/// TP size, which keeps the debug test run to seconds; PP, DP, CP, VPP, micro-batch and sequence
/// parallelism are searched.
///
/// What holds, and is asserted: the best plan is at least as fast for all 22 runs (2-18% faster;
/// equal for three); every published layout fits by the memory model, so the search contains
/// it; the runs tuned for throughput (Narayanan et al. Table 1, GPT-3, MT-NLG) rank in the top
/// 25% of fitting layouts (most in the top 10%; 39.1B, 1T and GPT-3 at 14-22%: the model prefers
/// sequence parallelism or a shallower pipeline there); over all 22 the median rank is in the top
/// 10%. Korthikanti et al.'s runs fix one layout to compare recomputation methods, not to be the
/// fastest, so their rank is printed, not bounded (up to 65% of a 17-layout space).
/// Searched without any fixed dimension (release build, `loom plan`), published layouts rank in
/// the top 27% except Korthikanti's 22B full-recompute run (53%): the search then also picks
/// selective or no recomputation, 30-65% faster than the full recomputation the 2021 runs used.
@Suite struct PublishedRunsPlanTests {
    static var runsPath: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Validation/published-runs.json").path
    }

    /// The runs file; a missing or unreadable file fails every test that reads it (never zero
    /// test cases).
    static func runs() throws -> [PublishedRun] {
        try RunsFileReader.loadRuns(path: runsPath)
    }

    /// A run's model, layout and cluster as `loom validate` maps them; a refusal fails the test.
    static func inputs(_ run: PublishedRun) throws -> EvaluationInputs {
        try RunMapping.inputs(for: run) { try TopologyCatalog.load($0) }.get()
    }

    static func request(for run: PublishedRun, published: ParallelLayout, recipe: TrainingRecipe) -> PlanRequest {
        let constraints = PlanConstraints(
            tp: run.cluster.gpus > 64 ? published.tp : nil, zero: published.zero, recompute: recipe.recompute,
            recipe: recipe)
        return PlanRequest(gpus: run.cluster.gpus, globalBatch: published.globalBatch, seq: published.seq,
                           constraints: constraints, top: 3)
    }

    @Test func allRunsLoad() throws {
        #expect(try Self.runs().count == 22)
    }

    @Test(arguments: try runs())
    func bestPlanIsAtLeastAsFastAsThePublishedLayout(_ run: PublishedRun) async throws {
        let inputs = try Self.inputs(run)
        let model = inputs.model
        let published = inputs.layout
        let recipe = inputs.recipe
        let planner = Planner(model: model, cluster: inputs.cluster)
        let estimator = planner.estimator
        let request = Self.request(for: run, published: published, recipe: recipe)
        let result = try await planner.plan(request)
        let best = try #require(result.plans.first)
        let bestLayout = parallelLayout(best.layout)
        let bestRecipe = best.recipe.recipe
        #expect(bestRecipe == recipe.resolved)
        try LayoutValidation.check(bestLayout, recipe: bestRecipe, model: model, cluster: planner.cluster,
                                   gpus: run.cluster.gpus)
        let bestSpeed = estimator.evaluate(bestLayout, recipe: bestRecipe).tokensPerSecond
        let publishedSpeed = estimator.evaluate(published, recipe: recipe).tokensPerSecond
        #expect(bestSpeed >= publishedSpeed * (1 - 1e-12), "\(run.id): best \(bestSpeed) < published \(publishedSpeed)")
        #expect(best.fits)

        // The search contains the published layout whenever the memory model says it fits.
        let fits = estimator.peakMemory(published, recipe: recipe) <= MemoryModel.capacity(of: planner.cluster)
        #expect(fits, "\(run.id): the published layout does not fit by the memory model")
        let rank = try await planner.rank(of: published, recipe: recipe, in: request)
        print(String(format: "%@: best %.0f tok/s vs published %.0f (%+.1f%%), published ranks %d of %d (top %.1f%%)",
                     run.id, bestSpeed, publishedSpeed, 100 * (bestSpeed / publishedSpeed - 1), rank.better + 1,
                     rank.fitting, 100 * rank.fraction))
        if !run.id.hasPrefix("korthikanti") {
            #expect(rank.fraction <= 0.25, "\(run.id): published layout ranks \(rank.better + 1) of \(rank.fitting)")
        }
    }

    @Test func publishedLayoutsRankInTheTopTenPercentOnMedian() async throws {
        var fractions: [Double] = []
        for run in try Self.runs() {
            let inputs = try Self.inputs(run)
            let published = inputs.layout
            let planner = Planner(model: inputs.model, cluster: inputs.cluster)
            let request = Self.request(for: run, published: published, recipe: inputs.recipe)
            fractions.append(try await planner.rank(of: published, recipe: inputs.recipe, in: request).fraction)
        }
        fractions.sort()
        try #require(fractions.count == 22)
        let median = (fractions[10] + fractions[11]) / 2
        #expect(median <= 0.10, "median rank fraction \(median)")
    }

    /// The estimate's layout echo as a layout again.
    func parallelLayout(_ l: LayoutEcho) -> ParallelLayout {
        ParallelLayout(tp: l.tp, pp: l.pp, dp: l.dp, cp: l.cp, ep: l.ep, vpp: l.vpp, zero: l.zero,
                       sequenceParallel: l.sequenceParallel, microBatch: l.microBatch, globalBatch: l.globalBatch,
                       seq: l.seq, schedule: l.schedule)
    }
}

extension PublishedRun: CustomTestStringConvertible {
    public var testDescription: String { id }
}

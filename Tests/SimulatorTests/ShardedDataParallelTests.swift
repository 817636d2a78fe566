import CostModel
import Hardware
import Simulator
import Testing
import Workloads

/// ZeRO-3 / FSDP in the timeline: a weight all-gather before every pass and a gradient
/// reduce-scatter after every backward, on the dp stream (Rajbhandari et al. 2020, section 7.2.2).
@Suite struct ShardedDataParallelTests {
    let model = megatronGPT(layers: 24, hidden: 2304, heads: 24)

    let layout = ParallelLayout(tp: 1, pp: 1, dp: 64, zero: 3, microBatch: 4, globalBatch: 1024, seq: 2048)

    func recipe(framework: Framework) -> TrainingRecipe {
        TrainingRecipe(framework: framework, recompute: .full)
    }

    @Test func withoutPrefetchTheGathersAddUpAsTheAnalyticModelChargesThem() throws {
        let cluster = try dgxA100()
        let serial = recipe(framework: .megatronLM)
        let simulated = try StepSimulator(model: model, cluster: cluster).simulate(layout, recipe: serial)
        let analytic = Estimator(model: model, cluster: cluster).evaluate(layout, recipe: serial).stepSeconds
        #expect(abs(simulated.stepSeconds / analytic - 1) < 0.01, "\(simulated.stepSeconds) vs \(analytic)")
        let m = layout.microBatchesPerReplica
        #expect(simulated.tasks.filter { $0.kind == .paramAllGather }.count == 2 * m)
        #expect(simulated.tasks.filter { $0.kind == .gradReduceScatter }.count == m)
    }

    /// FSDP gathers unit by unit inside the pass that needs the weights (prefetching the next
    /// unit while the current one computes), and reduce-scatters each unit's gradients during
    /// the backward: every gather and reduce-scatter lies inside its pass, which lasts at least
    /// as long as its communication, and the step is shorter than with the serial gathers.
    @Test func prefetchRunsTheGathersInsideTheirPasses() throws {
        let cluster = try dgxA100()
        var overlapped = recipe(framework: .megatronLM)
        overlapped.overlapParamGather = true
        let serial = try StepSimulator(model: model, cluster: cluster).simulate(layout, recipe: recipe(framework: .megatronLM))
        let prefetched = try StepSimulator(model: model, cluster: cluster).simulate(layout, recipe: overlapped)
        #expect(prefetched.stepSeconds < serial.stepSeconds)
        let communication = prefetched.tasks.filter { $0.kind == .paramAllGather || $0.kind == .gradReduceScatter }
        let passes = prefetched.tasks.filter { $0.kind == .forward || $0.kind == .backward }
        #expect(communication.count == 3 * layout.microBatchesPerReplica)
        for pass in passes {
            let inside = communication.filter { $0.index == pass.index && $0.start >= pass.start - 1e-12
                && $0.start < pass.end - 1e-12 }
            #expect(inside.count == (pass.kind == .forward ? 1 : 2), "\(pass.name)")
            for task in inside { #expect(task.end <= pass.end + 1e-12, "\(task.name) outlasts \(pass.name)") }
        }
    }
}

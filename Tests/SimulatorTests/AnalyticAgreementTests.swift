import CostModel
import Hardware
import Simulator
import Testing
import Workloads

/// With no DP overlap the simulated step is the analytic one: both compose the same per-stage
/// times, the simulation by scheduling every pass, the estimator by the closed-form bubble.
@Suite struct AnalyticAgreementTests {
    static let layouts: [(String, ParallelLayout)] = [
        ("175B tp8 pp8 m64", megatronLayout(tp: 8, pp: 8, m: 64)),
        ("175B tp8 pp8 dp4 m32", megatronLayout(tp: 8, pp: 8, dp: 4, m: 32)),
        ("175B tp8 pp16 m48 selective", megatronLayout(tp: 8, pp: 16, m: 48, recompute: .selective)),
        ("175B tp4 pp8 gpipe m16", megatronLayout(tp: 4, pp: 8, m: 16, schedule: .gpipe)),
    ]

    @Test(arguments: 0..<layouts.count)
    func oneForwardOneBackwardMatchesEstimator(_ index: Int) throws {
        let (label, layout) = Self.layouts[index]
        let model = gpt3()
        let cluster = try dgxA100()
        try LayoutValidation.check(layout, model: model, cluster: cluster)
        let analytic = Estimator(model: model, cluster: cluster).evaluate(layout).stepSeconds
        let simulated = try StepSimulator(model: model, cluster: cluster).simulate(layout).stepSeconds
        let error = abs(simulated - analytic) / analytic
        print("\(label): simulated \(simulated) s, analytic \(analytic) s, error \(error)")
        #expect(error < 0.01, "\(label): simulated \(simulated) s vs analytic \(analytic) s")
    }

    @Test func interleavedMatchesEstimator() throws {
        let layout = megatronLayout(tp: 8, pp: 8, vpp: 2, m: 64)
        let model = gpt3()
        let cluster = try dgxA100()
        try LayoutValidation.check(layout, model: model, cluster: cluster)
        let analytic = Estimator(model: model, cluster: cluster).evaluate(layout).stepSeconds
        let simulated = try StepSimulator(model: model, cluster: cluster).simulate(layout).stepSeconds
        let error = abs(simulated - analytic) / analytic
        print("175B tp8 pp8 vpp2 m64: simulated \(simulated) s, analytic \(analytic) s, error \(error)")
        #expect(error < 0.01)
    }
}

import CostModel
import Hardware
import Testing
import Workloads
@testable import Planner

/// `--objective memory` breaks near-ties in memory by throughput (issue 14: it picked context
/// parallelism 512 at 0.2-0.4% MFU over a 0.00 GiB difference).
@Suite struct MemoryObjectiveTieTests {
    /// The reproducer: Llama 3.1 8B on 512 H100s, global batch 512 x 8,192. Every layout at the
    /// minimum (about 1.4 GiB) differs by a few MiB; the fastest of them must win, and CP 512
    /// (dp 1, tp 1: the slowest of the near-ties, 21,112 tokens/s before the fix) must not.
    @Test func nearTiesInMemoryGoToTheFasterLayout() async throws {
        let model = try ModelCatalog.preset(named: "llama-3.1-8b")
        let result = try await Planner(model: model, cluster: cluster("dgx-h100")).plan(
            PlanRequest(gpus: 512, globalBatch: 512, seq: 8192, objective: .memory, top: 10))
        let best = try #require(result.plans.first)
        #expect(best.layout.cp != 512)
        let tie = CostModelConstants.planMemoryTieFraction
        for other in result.plans.dropFirst() {
            // No listed plan needs 1% less memory than the best (the grid can split two plans
            // under 1% apart, never two more than 1% apart).
            #expect(other.memory.total >= best.memory.total / (1 + tie))
            // Among the plans within the best's grid cell, none is faster.
            if PlanCandidate.memoryGrid(other.memory.total) == PlanCandidate.memoryGrid(best.memory.total) {
                #expect(other.tokensPerS <= best.tokensPerS)
            }
        }
        // At least one near-tie was broken, or the test would not exercise the rule.
        #expect(result.plans.dropFirst().contains {
            PlanCandidate.memoryGrid($0.memory.total) == PlanCandidate.memoryGrid(best.memory.total)
        })
    }

    /// The grid: values 0.5% apart can share a point, values 2% apart never do; the grid point
    /// is at or above the value and less than 1% above it.
    @Test func memoryGridStepIsOnePercent() {
        let gib = 1024.0 * 1024 * 1024
        for value in [1.43 * gib, 18.92 * gib, 79.9 * gib] {
            let point = PlanCandidate.memoryGrid(value)
            #expect(point >= value * (1 - 1e-12) && point < value * 1.01 * (1 + 1e-12))
            #expect(PlanCandidate.memoryGrid(value * 1.02) > point)
        }
        #expect(PlanCandidate.memoryGrid(0) == 0)
    }
}

import CostModel
import Hardware
import Testing
import Workloads
@testable import Planner

@Suite struct ConstraintTests {
    /// A 1.7B GPT (Narayanan et al. 2021 Table 1, first row) on 16 A100s: a small search.
    let model = megatronGPT(layers: 24, hidden: 2304, heads: 24)

    func plan(_ constraints: PlanConstraints = PlanConstraints(), gpus: Int = 16, batch: Int = 64,
              objective: PlanObjective = .throughput, top: Int = 5) async throws -> PlanResult {
        try await Planner(model: model, cluster: cluster()).plan(
            PlanRequest(gpus: gpus, globalBatch: batch, seq: 2048, constraints: constraints, objective: objective, top: top))
    }

    @Test func plansAreValidFitAndRankedBestFirst() async throws {
        let result = try await plan(top: 10)
        #expect(result.plans.count == 10)
        #expect(result.evaluated > 0)
        for (a, b) in zip(result.plans, result.plans.dropFirst()) { #expect(a.tokensPerS >= b.tokensPerS) }
        for p in result.plans {
            #expect(p.fits)
            #expect(p.layout.gpus == 16)
            #expect(p.layout.tp * p.layout.pp * p.layout.cp * p.layout.dp == 16)
            #expect(p.layout.flashAttention)  // Megatron-Core default
            if p.layout.sequenceParallel { #expect(p.layout.tp > 1) }
        }
    }

    @Test func everySearchedLayoutPassesLayoutValidation() {
        let request = PlanRequest(gpus: 16, globalBatch: 64, seq: 2048)
        let space = SearchSpace(model: model, gpusPerNode: 8, request: request)
        let c = cluster()
        var checked = 0
        for cell in space.cells(gpus: 16) {
            space.forEachMicroBatch(perReplica: 64 / cell.dp) { mb in
                for vpp in 1...space.maxVirtualStages(pp: cell.pp)
                where space.allowsVirtualStages(vpp, pp: cell.pp, microBatches: 64 / cell.dp / mb) {
                    let layout = ParallelLayout(tp: cell.tp, pp: cell.pp, dp: cell.dp, cp: cell.cp, ep: cell.ep, vpp: vpp,
                                                microBatch: mb, globalBatch: 64, seq: 2048)
                    #expect(throws: Never.self) { try LayoutValidation.check(layout, recipe: TrainingRecipe(), model: model, cluster: c, gpus: 16) }
                    checked += 1
                }
            }
        }
        #expect(checked > 100)
    }

    @Test func fixedDimensionsHold() async throws {
        let fixed = PlanConstraints(tp: 4, pp: 2, zero: 1, recompute: .selective, sequenceParallel: true, microBatch: 2)
        let result = try await plan(fixed)
        #expect(!result.plans.isEmpty)
        for p in result.plans {
            #expect(p.layout.tp == 4 && p.layout.pp == 2 && p.layout.zero == 1)
            #expect(p.layout.recompute == .selective && p.layout.sequenceParallel && p.layout.microBatch == 2)
        }
        let framework = try await plan(PlanConstraints(recipe: TrainingRecipe(framework: .megatronLM)))
        for p in framework.plans {
            #expect(p.layout.framework == .megatronLM)
            #expect(!p.layout.flashAttention)
        }
    }

    @Test func aFixedVirtualStageCountMayLeaveLayersUneven() async throws {
        // 24 layers over pp 2 x vpp 5: not divisible, but each virtual stage gets a layer.
        let result = try await plan(PlanConstraints(pp: 2, vpp: 5))
        #expect(!result.plans.isEmpty)
        for p in result.plans { #expect(p.layout.pp == 2 && p.layout.vpp == 5) }
        // The free search keeps to even interleaving.
        let free = try await plan(top: 50)
        for p in free.plans where p.layout.vpp > 1 { #expect(24 % (p.layout.pp * p.layout.vpp) == 0) }
    }

    @Test func topOneStillExplainsAgainstTheRunnerUp() async throws {
        let result = try await plan(top: 1)
        #expect(result.plans.count == 1)
        #expect(result.explanation.contains("runner-up"), "\(result.explanation)")
    }

    @Test func fixingADimensionNeverBeatsTheFreeSearch() async throws {
        let free = try await plan(top: 1)
        let fixed = try await plan(PlanConstraints(pp: 2), top: 1)
        let freeBest = try #require(free.plans.first)
        let fixedBest = try #require(fixed.plans.first)
        #expect(freeBest.tokensPerS >= fixedBest.tokensPerS)
        #expect(fixed.evaluated + fixed.pruned < free.evaluated + free.pruned)
    }

    @Test func memoryObjectiveAndFraction() async throws {
        let lean = try await plan(objective: .memory, top: 3)
        let fast = try await plan(top: 1)
        let leanest = try #require(lean.plans.first)
        let fastest = try #require(fast.plans.first)
        #expect(leanest.memory.total <= fastest.memory.total)
        // Ranked by memory on the 1% grid of `PlanCandidate.memoryGrid`: a later plan may need up
        // to 1% less than an earlier, faster one, never more than that.
        for (a, b) in zip(lean.plans, lean.plans.dropFirst()) {
            #expect(a.memory.total <= b.memory.total * (1 + CostModelConstants.planMemoryTieFraction))
        }
        // A tighter memory budget leaves only plans under it.
        let budget = leanest.memory.total / leanest.memory.capacity + 0.01
        let tight = try await Planner(model: model, cluster: cluster()).plan(
            PlanRequest(gpus: 16, globalBatch: 64, seq: 2048, maxMemoryFraction: budget))
        for p in tight.plans { #expect(p.memory.total <= budget * p.memory.capacity) }
    }

    @Test func costObjectiveAlsoTriesFewerGPUs() async throws {
        let result = try await plan(gpus: 32, objective: .cost, top: 20)
        let counts = Set(result.plans.map(\.layout.gpus))
        #expect(counts.isSubset(of: [32, 16, 8, 4, 2, 1]))
        for (a, b) in zip(result.plans, result.plans.dropFirst()) {
            #expect(a.tokensPerS / Double(a.layout.gpus) >= b.tokensPerS / Double(b.layout.gpus))
        }
    }

    @Test func resultsDoNotDependOnTheTaskSplit() async throws {
        let a = try await plan(top: 8)
        let b = try await plan(top: 8)
        #expect(a.plans == b.plans)
        #expect(a.evaluated == b.evaluated && a.pruned == b.pruned)
    }

    @Test func mixtureOfExpertsSearchesExpertParallelism() async throws {
        let moe = TransformerModel(name: "moe-test", layers: 8, hidden: 1024, heads: 16, ffn: 4096, mlp: .swiglu,
                                   vocab: 32000, maxSeq: 2048,
                                   moe: MoEConfig(experts: 8, expertsPerToken: 2, expertFFN: 1024))
        let result = try await Planner(model: moe, cluster: cluster()).plan(
            PlanRequest(gpus: 16, globalBatch: 64, seq: 2048, top: 50))
        #expect(result.plans.contains { $0.layout.ep > 1 })
        for p in result.plans { #expect((p.layout.dp * p.layout.cp) % p.layout.ep == 0 && 8 % p.layout.ep == 0) }
    }
}

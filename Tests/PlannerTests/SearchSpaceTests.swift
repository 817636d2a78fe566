import CostModel
import Hardware
import Testing
import Workloads
@testable import Planner

@Suite struct SearchSpaceTests {
    @Test func everyLayoutOfTheSpaceIsValid() async throws {
        let model = megatronGPT(layers: 24, hidden: 2048, heads: 16)
        let request = PlanRequest(gpus: 16, globalBatch: 64, seq: 2048)
        let space = SearchSpace(model: model, gpusPerNode: 8, request: request)
        let cells = space.cells(gpus: 16)
        #expect(!cells.isEmpty)
        for cell in cells {
            #expect(cell.tp * cell.pp * cell.cp * cell.dp == 16)
            #expect(cell.tp <= 8)
            let layout = ParallelLayout(tp: cell.tp, pp: cell.pp, dp: cell.dp, cp: cell.cp, ep: cell.ep,
                                        globalBatch: 64, seq: 2048)
            #expect(throws: Never.self) {
                try LayoutValidation.check(layout, recipe: TrainingRecipe(), model: model, cluster: cluster(), gpus: 16)
            }
        }
    }

    /// The cells are exactly the process-group sizes `LayoutValidation` accepts, less the
    /// search's own policies (TP within the 8-GPU node, CP a power of two): checked by brute
    /// force over every TP, PP, CP, EP of 16 GPUs for an MoE model (Mixtral 8x7B: 32 heads,
    /// 8 key/value heads, 32 layers, 8 experts).
    @Test func cellsAreWhatLayoutValidationAccepts() throws {
        let model = try ModelCatalog.preset(named: "mixtral-8x7b")
        let request = PlanRequest(gpus: 16, globalBatch: 64, seq: 4096)
        let space = SearchSpace(model: model, gpusPerNode: 8, request: request)
        let cells = Set(space.cells(gpus: 16))
        var accepted: Set<SearchCell> = []
        for tp in [1, 2, 4, 8] {
            for pp in 1...16 where 16 % (tp * pp) == 0 {
                for cp in [1, 2, 4, 8, 16] where 16 % (tp * pp * cp) == 0 {
                    let dp = 16 / (tp * pp * cp)
                    for ep in 1...8 {
                        let layout = ParallelLayout(tp: tp, pp: pp, dp: dp, cp: cp, ep: ep, globalBatch: 64, seq: 4096)
                        if (try? LayoutValidation.check(layout, recipe: TrainingRecipe(), model: model,
                                                        cluster: cluster(), gpus: 16)) != nil {
                            accepted.insert(SearchCell(tp: tp, pp: pp, cp: cp, dp: dp, ep: ep, gpus: 16))
                        }
                    }
                }
            }
        }
        #expect(accepted.count > 20)
        #expect(cells == accepted, "only searched: \(cells.subtracting(accepted)); only valid: \(accepted.subtracting(cells))")
    }
}

@Suite struct MicroBatchEnumerationTests {
    @Test(arguments: [1, 2, 12, 36, 97, 1536, 2048, 2160])
    func microBatchesAreTheDivisorsAscending(_ n: Int) {
        let space = SearchSpace(model: megatronGPT(layers: 4, hidden: 256, heads: 4), gpusPerNode: 8,
                                request: PlanRequest(gpus: 8, globalBatch: n, seq: 2048))
        var seen: [Int] = []
        space.forEachMicroBatch(perReplica: n) { seen.append($0) }
        #expect(seen == SearchSpace.divisors(of: n))
        #expect(seen == (1...n).filter { n % $0 == 0 })
    }
}

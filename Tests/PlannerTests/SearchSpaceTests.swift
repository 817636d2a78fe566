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
        }
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

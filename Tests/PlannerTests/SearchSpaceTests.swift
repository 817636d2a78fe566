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

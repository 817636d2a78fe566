import CostModel
import Hardware
import Testing
import Workloads
@testable import Planner

@Suite struct PlannerErrorTests {
    let small = megatronGPT(layers: 24, hidden: 2048, heads: 16)

    func planError(_ planner: Planner, _ request: PlanRequest) async -> PlannerError? {
        do {
            _ = try await planner.plan(request)
            return nil
        } catch let error as PlannerError {
            return error
        } catch {
            Issue.record("unexpected error \(error)")
            return nil
        }
    }

    @Test func fixedTensorSizeThatDoesNotDivideTheHeads() async {
        let planner = Planner(model: small, cluster: cluster())
        let error = await planError(planner, PlanRequest(gpus: 8, globalBatch: 64, seq: 2048,
                                                         constraints: PlanConstraints(tp: 3)))
        #expect(error?.kind == .invalidConstraint)
        #expect(error?.description.contains("--gpus 8 is not divisible by tp x pp x cp = 3 x 1 x 1") == true)
        let heads = await planError(Planner(model: small, cluster: cluster()),
                                    PlanRequest(gpus: 24, globalBatch: 48, seq: 2048, constraints: PlanConstraints(tp: 3)))
        #expect(heads?.description == "--tp 3 does not divide 16 attention heads")
    }

    @Test func globalBatchSmallerThanEveryDataParallelSize() async {
        // 2 layers, 2 heads, 8-token sequences: TP <= 2, PP <= 2, CP <= 4, so DP >= 4 on 64 GPUs.
        let tiny = megatronGPT(layers: 2, hidden: 128, heads: 2, seq: 8, vocab: 1000)
        let error = await planError(Planner(model: tiny, cluster: cluster()),
                                    PlanRequest(gpus: 64, globalBatch: 2, seq: 8))
        #expect(error?.kind == .globalBatchTooSmall)
        #expect(error?.description.hasPrefix("--global-batch 2 is smaller than the data-parallel size of every layout") == true)
        #expect(error?.description.contains("at least 4") == true)
    }

    @Test func batchThatNoDataParallelSizeDivides() async {
        let tiny = megatronGPT(layers: 2, hidden: 128, heads: 2, seq: 8, vocab: 1000)
        let error = await planError(Planner(model: tiny, cluster: cluster()),
                                    PlanRequest(gpus: 64, globalBatch: 6, seq: 8))
        #expect(error?.kind == .unusableGPUCount)
        #expect(error?.description.contains("try --global-batch 8") == true)
        // TP x PP x CP is at most 2 x 2 x 4 = 16, so 48 GPUs means DP 3, 6, 12, 24 or 48, none
        // dividing 8; 40 and 56 GPUs fail the same way; 32 GPUs allows DP 2, 4 and 8.
        let gpus = await planError(Planner(model: tiny, cluster: cluster()),
                                   PlanRequest(gpus: 48, globalBatch: 8, seq: 8))
        #expect(gpus?.kind == .unusableGPUCount)
        #expect(gpus?.description.hasSuffix("or --gpus 32") == true, "\(gpus?.description ?? "")")
    }

    @Test func nothingFitsSuggestsALargerGPUCount() async throws {
        let gpt3 = megatronGPT(layers: 96, hidden: 12288, heads: 96)
        let error = await planError(Planner(model: gpt3, cluster: cluster()),
                                    PlanRequest(gpus: 8, globalBatch: 64, seq: 2048,
                                                constraints: PlanConstraints(zero: 0, recompute: .full)))
        #expect(error?.kind == .noLayoutFits)
        let text = try #require(error?.description)
        #expect(text.hasPrefix("no layout of gpt-96x12288 fits in 80.0 GiB per GPU on 8 GPUs with --zero 0 --recompute full"))
        #expect(text.contains("GPUs would fit"))
        #expect(!text.contains("\n"))
    }

    @Test func badRequestValues() async {
        let planner = Planner(model: small, cluster: cluster())
        #expect(await planError(planner, PlanRequest(gpus: 8, globalBatch: 8, seq: 2048, top: 0))?.kind == .invalidRequest)
        #expect(await planError(planner, PlanRequest(gpus: 8, globalBatch: 8, seq: 2048, maxMemoryFraction: 1.5))?
            .kind == .invalidRequest)
        #expect(await planError(planner, PlanRequest(gpus: 8, globalBatch: 0, seq: 2048))?.kind == .invalidRequest)
        let huge = await planError(planner, PlanRequest(gpus: 1 << 40, globalBatch: 8, seq: 2048))
        #expect(huge?.description == "--gpus 1099511627776 is more than 1048576 GPUs, the most the planner searches")
        // 12 GPUs is not a whole number of 8-GPU nodes: the topology's check.
        do {
            _ = try await planner.plan(PlanRequest(gpus: 12, globalBatch: 12, seq: 2048))
            Issue.record("12 GPUs on 8-GPU nodes must be rejected")
        } catch {
            #expect("\(error)".contains("--gpus 12"))
        }
    }
}

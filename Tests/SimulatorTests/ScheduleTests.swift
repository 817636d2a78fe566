import CostModel
import Simulator
import Testing

/// The per-rank pass orders of the schedules.
@Suite struct ScheduleTests {
    static func names(_ ops: [PipelineOperation]) -> [String] {
        ops.map { "\($0.pass == .forward ? "F" : "B")\($0.microBatch)\($0.chunk > 0 ? "c\($0.chunk)" : "")" }
    }

    @Test func oneForwardOneBackwardWarmUp() throws {
        let first = try PipelineSchedule.operations(rank: 0, stages: 4, microBatches: 6, chunks: 1, kind: .oneForwardOneBackward)
        #expect(Self.names(first) == ["F0", "F1", "F2", "F3", "B0", "F4", "B1", "F5", "B2", "B3", "B4", "B5"])
        let last = try PipelineSchedule.operations(rank: 3, stages: 4, microBatches: 3, chunks: 1, kind: .oneForwardOneBackward)
        #expect(Self.names(last) == ["F0", "B0", "F1", "B1", "F2", "B2"])
        // Fewer micro-batches than stages: all forwards, then all backwards.
        let short = try PipelineSchedule.operations(rank: 0, stages: 8, microBatches: 2, chunks: 1, kind: .oneForwardOneBackward)
        #expect(Self.names(short) == ["F0", "F1", "B0", "B1"])
    }

    @Test func interleavedOrder() throws {
        // Megatron, p = 2, v = 2, m = 4, rank 0: warm-up (2 - 0 - 1) x 2 + (2 - 1) x 2 = 4 forwards.
        let ops = try PipelineSchedule.operations(rank: 0, stages: 2, microBatches: 4, chunks: 2, kind: .oneForwardOneBackward)
        #expect(Self.names(ops) == ["F0", "F1", "F0c1", "F1c1", "F2", "B0c1", "F3", "B1c1", "F2c1", "B0", "F3c1", "B1",
                                    "B2c1", "B3c1", "B2", "B3"])
        for rank in 0..<4 {
            let all = try PipelineSchedule.operations(rank: rank, stages: 4, microBatches: 8, chunks: 3, kind: .oneForwardOneBackward)
            #expect(all.count == 2 * 8 * 3)
            #expect(Set(all.map { "\($0.pass) \($0.microBatch) \($0.chunk)" }).count == 2 * 8 * 3)
        }
    }

    @Test func gpipeOrder() throws {
        let ops = try PipelineSchedule.operations(rank: 1, stages: 2, microBatches: 3, chunks: 1, kind: .gpipe)
        #expect(Self.names(ops) == ["F0", "F1", "F2", "B0", "B1", "B2"])
    }

    @Test func badShapesThrow() {
        #expect(throws: SimulationError.self) {
            try PipelineSchedule.operations(rank: 0, stages: 4, microBatches: 6, chunks: 2, kind: .oneForwardOneBackward)
        }
        #expect(throws: SimulationError.self) {
            try PipelineSchedule.operations(rank: 0, stages: 4, microBatches: Int.max / 2, chunks: 4, kind: .oneForwardOneBackward)
        }
        #expect(throws: SimulationError.self) {
            try StepSimulator.simulate(costs: [StageCosts](repeating: StageCosts(), count: 2),
                                       layout: ParallelLayout(pp: 2, microBatch: 1, globalBatch: 90_000_000))
        }
    }
}

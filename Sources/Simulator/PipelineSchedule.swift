import CostModel

/// One pass of one micro-batch through one model chunk of a pipeline rank.
public struct PipelineOperation: Sendable, Hashable {
    public enum Pass: UInt8, Sendable, Hashable {
        case forward
        case backward
    }

    public var pass: Pass
    public var microBatch: Int
    /// Model chunk on this rank (0 without interleaving); virtual stage = chunk x pp + rank.
    public var chunk: Int

    public init(_ pass: Pass, microBatch: Int, chunk: Int = 0) {
        self.pass = pass
        self.microBatch = microBatch
        self.chunk = chunk
    }
}

/// The order in which each pipeline rank runs its forward and backward passes.
///
/// - 1F1B (PipeDream-Flush; Narayanan et al. 2021, figure 3 top): rank i runs p - i - 1
///   warm-up forwards, then alternates one forward and one backward, then the remaining backwards.
/// - Interleaved 1F1B (figure 3 bottom), in Megatron's order
///   (`forward_backward_pipelining_with_interleaving`): micro-batches go in groups of p through
///   the chunks; warm-up (p - i - 1) x 2 + (v - 1) x p forwards (all of them when m = p).
/// - GPipe (Huang et al. 2019): all forwards, then all backwards.
public enum PipelineSchedule {
    public static func operations(rank: Int, stages p: Int, microBatches m: Int, chunks v: Int,
                                  kind: PipelineScheduleKind) throws -> [PipelineOperation] {
        guard p >= 1, m >= 1, v >= 1, rank >= 0, rank < p else {
            throw SimulationError("pipeline schedule needs pp, micro-batches and vpp >= 1 (pp \(p), m \(m), vpp \(v))")
        }
        let (perRank, overflow) = m.multipliedReportingOverflow(by: v)
        guard !overflow, perRank <= StepSimulator.maximumPasses, p <= StepSimulator.maximumPasses else {
            throw SimulationError("micro-batches x vpp = \(m) x \(v) is too many passes to simulate")
        }
        var ops: [PipelineOperation] = []
        ops.reserveCapacity(2 * perRank)
        if kind == .gpipe {
            for chunk in 0..<v {
                for mb in 0..<m { ops.append(PipelineOperation(.forward, microBatch: mb, chunk: chunk)) }
            }
            for chunk in (0..<v).reversed() {
                for mb in 0..<m { ops.append(PipelineOperation(.backward, microBatch: mb, chunk: chunk)) }
            }
            return ops
        }
        if v == 1 {
            let warmup = min(p - rank - 1, m)
            for mb in 0..<warmup { ops.append(PipelineOperation(.forward, microBatch: mb)) }
            for i in 0..<(m - warmup) {
                ops.append(PipelineOperation(.forward, microBatch: warmup + i))
                ops.append(PipelineOperation(.backward, microBatch: i))
            }
            for mb in (m - warmup)..<m { ops.append(PipelineOperation(.backward, microBatch: mb)) }
            return ops
        }
        guard m % p == 0 else {
            throw SimulationError("interleaved schedule needs micro-batches per replica (\(m)) divisible by --pp \(p)")
        }
        let total = m * v
        let warmup = m == p ? total : min(total, (p - rank - 1) * 2 + (v - 1) * p)
        func operation(_ k: Int, _ pass: PipelineOperation.Pass) -> PipelineOperation {
            let group = k / (p * v)
            let inGroup = k % (p * v)
            let chunk = inGroup / p
            let mb = group * p + k % p
            return PipelineOperation(pass, microBatch: mb, chunk: pass == .forward ? chunk : v - 1 - chunk)
        }
        for k in 0..<warmup { ops.append(operation(k, .forward)) }
        let steady = total - warmup
        for i in 0..<steady {
            ops.append(operation(warmup + i, .forward))
            ops.append(operation(i, .backward))
        }
        for k in steady..<total { ops.append(operation(k, .backward)) }
        return ops
    }
}

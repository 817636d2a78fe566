/// The one harness every operation shares (the shape of nccl-tests' common.cu): it turns the
/// size range into a sweep, allocates buffers once for the largest size, and for every size
/// fills the send buffers, warms up, times a loop, checks the result and gathers the timings.
///
/// Timing per size (nccl-tests and OSU): a barrier, then `iterations` back-to-back operations
/// timed with `MPI_Wtime`; each rank's mean time per operation is gathered at rank 0, which
/// reports their minimum, mean and maximum and computes the bandwidths from the mean. Nothing
/// but the operation itself runs inside the timed loop.
public struct BenchmarkHarness {
    public let collective: any Collective
    public let elementType: ElementType
    public let policy: IterationPolicy
    /// The sizes to measure, after rounding to whole elements per rank.
    public let sweep: SizeSweep
    let world: Communicator

    /// Validates the request against the number of ranks; every rank reaches the same verdict.
    public init(collective: any Collective, elementType: ElementType, minimum: ByteSize, maximum: ByteSize,
                policy: IterationPolicy, world: Communicator) throws(BenchmarkError) {
        let ranks = world.size
        if let reason = collective.unsupportedReason(ranks: ranks) { throw .unsupportedRanks(reason) }
        if collective.movesData {
            let granularity = collective.countGranularity(ranks: ranks)
            sweep = SizeSweep(minimum: minimum, maximum: maximum, elementSize: elementType.size,
                              granularity: granularity)
            guard let largest = sweep.points.last else {
                let smallest = granularity.multipliedReportingOverflow(by: elementType.size).partialValue
                throw .noSizes(collective: collective.name, minimum: minimum, maximum: maximum, smallest: smallest)
            }
            let buffers = collective.buffers(count: largest.count, ranks: ranks)
            let elements = Swift.max(buffers.send, buffers.receive)
            guard elements <= Int(Int32.max) else { throw .countTooLarge(maximum: maximum, elements: elements) }
        } else {
            sweep = .dataless
        }
        self.collective = collective
        self.elementType = elementType
        self.policy = policy
        self.world = world
    }

    /// Bytes of send plus receive buffer one rank needs for the largest size.
    public var bytesPerRank: Int {
        guard let largest = sweep.points.last else { return 0 }
        let buffers = collective.buffers(count: largest.count, ranks: world.size)
        let elements = buffers.send.addingReportingOverflow(buffers.receive)
        let bytes = elements.partialValue.multipliedReportingOverflow(by: elementType.size)
        return elements.overflow || bytes.overflow ? Int.max : bytes.partialValue
    }

    /// busbw / algbw for this collective on this many ranks.
    public var busBandwidthFactor: Double { collective.busBandwidthFactor(ranks: world.size) }

    /// Measures every size. `onResult` is called on rank 0 as each size completes (for a table
    /// that grows as it runs); the returned results are complete on rank 0 and empty elsewhere.
    public func run(watchdog: Watchdog?, fault: FaultInjection?,
                    onResult: (SizeResult) -> Void) throws -> [SizeResult] {
        switch elementType {
        case .float: return try run(collective, Float.self, watchdog, fault, onResult)
        case .double: return try run(collective, Double.self, watchdog, fault, onResult)
        case .int32: return try run(collective, Int32.self, watchdog, fault, onResult)
        }
    }

    /// The sweep with the collective's and the element's types known, so the timed loop calls
    /// the operation directly.
    private func run<C: Collective, T: MPIElement>(
        _ collective: C, _: T.Type, _ watchdog: Watchdog?, _ fault: FaultInjection?,
        _ onResult: (SizeResult) -> Void
    ) throws -> [SizeResult] {
        let ranks = world.size
        let largest = sweep.points.last.map { collective.buffers(count: $0.count, ranks: ranks) }
            ?? BufferCounts(send: 0, receive: 0)
        let send = try MessageBuffer<T>(capacity: largest.send)
        let receive = try MessageBuffer<T>(capacity: largest.receive)
        let pattern = DataPattern(ranks: ranks)
        var results: [SizeResult] = []
        var pendingFault = fault
        for point in sweep.points {
            watchdog?.arm("\(collective.name) of \(ByteSize(bytes: point.bytes)) bytes")
            let counts = collective.buffers(count: point.count, ranks: ranks)
            let operands = Operands(communicator: world, send: send.prefix(counts.send),
                                    receive: receive.prefix(counts.receive))
            let rank = world.rank
            send.fill(counts.send) { DataPattern.value(rank: rank, index: $0) }
            let (warmup, iterations) = policy.counts(forBytes: point.bytes)

            prepareReceive(receive, counts.receive, collective)
            for _ in 0 ..< Swift.max(0, warmup) { try collective.run(operands) }
            try pendingFault?.trigger(on: world)
            // Poison again, so the check sees only what the timed operations wrote.
            prepareReceive(receive, counts.receive, collective)
            let seconds = try timedLoop(collective, operands, iterations: iterations)
            pendingFault?.corrupt(operands.receive, on: world)
            pendingFault = nil

            let wrong = Verification.countWrong(operands.receive, collective: collective, count: point.count,
                                                rank: rank, ranks: ranks, pattern: pattern)
            let gathered = try world.gather([seconds, Double(wrong)], root: 0)
            guard world.rank == 0 else { continue }
            let result = summarize(point, gathered, iterations: iterations, warmup: warmup)
            results.append(result)
            onResult(result)
        }
        return results
    }

    /// Barrier, then `iterations` operations between two `MPI_Wtime` readings; returns this
    /// rank's mean seconds per operation (per leg, for a ping-pong).
    @inline(__always)
    private func timedLoop<C: Collective, T: MPIElement>(_ collective: C, _ operands: Operands<T>,
                                                         iterations: Int) throws(MPIError) -> Double {
        try world.barrier()
        let start = MPIEnvironment.wallTime()
        for _ in 0 ..< Swift.max(0, iterations) { try collective.run(operands) }
        let elapsed = MPIEnvironment.wallTime() - start
        return elapsed / (Double(Swift.max(1, iterations)) * Double(Swift.max(1, collective.legsPerIteration)))
    }

    /// Fills the receive buffer with poison, or with this rank's pattern where the collective
    /// reads its input from it (the root of a broadcast).
    private func prepareReceive<C: Collective, T: MPIElement>(_ receive: MessageBuffer<T>, _ count: Int,
                                                              _ collective: C) {
        let rank = world.rank
        if collective.seedsReceiveBuffer(rank: rank) {
            receive.fill(count) { DataPattern.value(rank: rank, index: $0) }
        } else {
            receive.fill(count) { _ in DataPattern.poison }
        }
    }

    /// Rank 0's row for one size from the gathered (seconds, wrong) pairs of every rank.
    private func summarize(_ point: SizeSweep.Point, _ gathered: [Double], iterations: Int,
                           warmup: Int) -> SizeResult {
        var seconds: [Double] = []
        var wrong = 0
        var pairs = gathered.makeIterator()
        while let time = pairs.next(), let wrongElements = pairs.next() {
            seconds.append(time)
            wrong += Int(exactly: wrongElements) ?? 0
        }
        let time = TimeSummary(of: seconds.map { $0 * 1e6 })
        let algorithm = Bandwidth.algorithm(bytes: point.bytes, seconds: time.avg / 1e6)
        return SizeResult(bytes: point.bytes, count: point.count,
                          dtype: collective.movesData ? elementType.rawValue : "none",
                          timeMicroseconds: time, algorithmBandwidth: algorithm,
                          busBandwidth: Bandwidth.bus(algorithm: algorithm, factor: busBandwidthFactor),
                          wrong: wrong, iterations: iterations, warmup: warmup)
    }
}

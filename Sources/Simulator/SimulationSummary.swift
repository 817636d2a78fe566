/// Per-rank figures of a simulated timeline: busy time, exposed communication.
enum SimulationSummary {
    static func summarise(tasks: [SimulationTask], costs: [StageCosts], pipelineSeconds: Double,
                          microBatches m: Int, chunks v: Int) -> SimulationResult {
        let p = costs.count
        var step = 0.0
        var compute = [Double](repeating: 0, count: p)
        var computeIntervals = [[(Double, Double)]](repeating: [], count: p)
        var commIntervals = [[(Double, Double)]](repeating: [], count: p)
        for task in tasks {
            step = max(step, task.end)
            guard task.duration > 0 else { continue }
            if task.stream == .compute {
                compute[task.stage] += task.duration
                computeIntervals[task.stage].append((task.start, task.end))
            } else {
                commIntervals[task.stage].append((task.start, task.end))
            }
        }
        var exposed = [Double](repeating: 0, count: p)
        for s in 0..<p {
            let busy = union(computeIntervals[s])
            let comm = union(commIntervals[s])
            exposed[s] = max(0, length(comm) - overlap(comm, busy))
        }
        let busyFraction = compute.map { step > 0 ? $0 / step : 0 }
        let inline = costs.map { $0.inlineCommunication * Double(m) }
        return SimulationResult(stepSeconds: step, pipelineSeconds: pipelineSeconds, stages: p, microBatches: m,
                                chunks: v, tasks: tasks, computeSeconds: compute, busyFraction: busyFraction,
                                exposedCommunicationSeconds: exposed, inlineCommunicationSeconds: inline)
    }

    /// Sorted, disjoint union of intervals.
    static func union(_ intervals: [(Double, Double)]) -> [(Double, Double)] {
        let sorted = intervals.sorted { $0.0 < $1.0 }
        var out: [(Double, Double)] = []
        out.reserveCapacity(sorted.count)
        for interval in sorted {
            if let last = out.last, interval.0 <= last.1 {
                out[out.count - 1].1 = max(last.1, interval.1)
            } else {
                out.append(interval)
            }
        }
        return out
    }

    static func length(_ intervals: [(Double, Double)]) -> Double {
        intervals.reduce(0) { $0 + ($1.1 - $1.0) }
    }

    /// Total overlap of two sorted disjoint interval lists.
    static func overlap(_ a: [(Double, Double)], _ b: [(Double, Double)]) -> Double {
        var i = 0
        var j = 0
        var total = 0.0
        while i < a.count && j < b.count {
            let lo = max(a[i].0, b[j].0)
            let hi = min(a[i].1, b[j].1)
            if hi > lo { total += hi - lo }
            if a[i].1 < b[j].1 { i += 1 } else { j += 1 }
        }
        return total
    }
}

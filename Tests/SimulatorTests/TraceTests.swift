import CostModel
import Foundation
import Hardware
import Simulator
import Testing
import Workloads

/// The timeline is physically possible and the trace is what Perfetto reads.
@Suite struct TraceTests {
    static func simulate(_ setup: (layout: ParallelLayout, recipe: TrainingRecipe)) throws -> SimulationResult {
        try StepSimulator(model: gpt3(), cluster: try dgxA100()).simulate(setup.layout, recipe: setup.recipe)
    }

    static let layouts: [(layout: ParallelLayout, recipe: TrainingRecipe)] = [
        megatronLayout(tp: 8, pp: 8, dp: 2, m: 16),
        megatronLayout(tp: 8, pp: 8, dp: 2, vpp: 2, m: 16, framework: .megatronCore),
        (ParallelLayout(tp: 8, pp: 4, dp: 4, zero: 1, microBatch: 1, globalBatch: 64),
         TrainingRecipe(framework: .megatronCore, recompute: .full, flashAttention: false)),
        megatronLayout(tp: 4, pp: 4, dp: 2, m: 8, schedule: .gpipe),
    ]

    @Test(arguments: 0..<layouts.count)
    func lanesNeverOverlapAndBackwardFollowsForward(_ index: Int) throws {
        let result = try Self.simulate(Self.layouts[index])
        var lanes: [Int: [SimulationTask]] = [:]
        for task in result.tasks { lanes[task.stage * 8 + task.stream.rawValue, default: []].append(task) }
        for (_, tasks) in lanes {
            let sorted = tasks.sorted { $0.start < $1.start }
            for (a, b) in zip(sorted, sorted.dropFirst()) {
                #expect(a.end <= b.start + 1e-12, "\(a.name) overlaps \(b.name) on stage \(a.stage) \(a.stream.name)")
            }
        }
        var forwardEnd: [String: Double] = [:]
        for task in result.tasks where task.kind == .forward {
            forwardEnd["\(task.stage) \(task.index) \(task.chunk ?? 0)"] = task.end
        }
        for task in result.tasks where task.kind == .backward {
            let end = try #require(forwardEnd["\(task.stage) \(task.index) \(task.chunk ?? 0)"])
            #expect(task.start >= end, "\(task.name) on stage \(task.stage) starts before its forward ends")
        }
        let m = result.microBatches * result.chunks
        for stage in 0..<result.stages {
            #expect(result.tasks.filter { $0.stage == stage && $0.kind == .forward }.count == m)
            #expect(result.tasks.filter { $0.stage == stage && $0.kind == .backward }.count == m)
            #expect(result.busyFraction[stage] > 0 && result.busyFraction[stage] <= 1)
        }
    }

    @Test func chromeTraceIsValidJSON() throws {
        let result = try Self.simulate(Self.layouts[1])
        let data = ChromeTrace.data(result)
        let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let events = try #require(root["traceEvents"] as? [[String: Any]])
        let complete = events.filter { $0["ph"] as? String == "X" }
        #expect(complete.count == result.tasks.count)
        for event in complete {
            #expect(event["ts"] is NSNumber && event["dur"] is NSNumber && event["pid"] is NSNumber)
            #expect(event["name"] is String)
        }
        let names = events.filter { $0["name"] as? String == "process_name" }
        #expect(names.count == result.stages)
        let threads = Set(events.filter { $0["name"] as? String == "thread_name" }
            .compactMap { ($0["args"] as? [String: Any])?["name"] as? String })
        #expect(threads == ["compute", "p2p", "dp"])
        // Microseconds: the last event ends at the simulated step time.
        let last = complete.compactMap { e -> Double? in
            guard let ts = e["ts"] as? Double, let dur = e["dur"] as? Double else { return nil }
            return ts + dur
        }.max() ?? 0
        #expect(abs(last - result.stepSeconds * 1e6) < 1)
    }

    @Test func writesTraceAndSVGAtomically() throws {
        let result = try Self.simulate(Self.layouts[0])
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("loom-sim-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let trace = dir.appendingPathComponent("step.json")
        let svg = dir.appendingPathComponent("step.svg")
        try ChromeTrace.write(result, to: trace)
        try GanttSVG.write(result, title: "GPT-3 175B", to: svg)
        #expect(try JSONSerialization.jsonObject(with: Data(contentsOf: trace)) is [String: Any])
        let text = try String(contentsOf: svg, encoding: .utf8)
        #expect(text.hasPrefix("<svg") && text.hasSuffix("</svg>\n"))
        #expect(text.contains("GPT-3 175B") && text.contains("stage 7") && text.contains("time (s)"))
    }

    /// Overlapped gradient reduction can only shorten the step.
    @Test func overlappedReductionIsNoSlower() throws {
        var setup = megatronLayout(tp: 8, pp: 4, dp: 8, m: 8)
        let serial = try Self.simulate(setup)
        setup.recipe.overlapGradReduce = true
        let overlapped = try Self.simulate(setup)
        #expect(overlapped.stepSeconds < serial.stepSeconds)
        #expect(overlapped.tasks.filter { $0.kind == .gradAllReduce }.count > 1)
    }
}

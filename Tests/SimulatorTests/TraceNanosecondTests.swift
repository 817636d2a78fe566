import CostModel
import Foundation
import Simulator
import Testing
import Workloads

/// Chrome trace times are whole nanoseconds (3 decimals in µs) and no two events on one thread
/// overlap after rounding (issue 18: Perfetto drops a slice that overlaps its neighbour by 1 ns).
@Suite struct TraceNanosecondTests {
    static let schedules: [(name: String, setup: (layout: ParallelLayout, recipe: TrainingRecipe))] = [
        ("1F1B", megatronLayout(tp: 8, pp: 8, dp: 2, m: 16)),
        ("interleaved", megatronLayout(tp: 8, pp: 8, dp: 2, vpp: 2, m: 16, framework: .megatronCore)),
        ("GPipe", megatronLayout(tp: 4, pp: 4, dp: 2, m: 8, schedule: .gpipe)),
        ("ZeRO-3", (ParallelLayout(tp: 8, pp: 2, dp: 8, zero: 3, microBatch: 1, globalBatch: 64),
                    TrainingRecipe(framework: .megatronCore, recompute: .full, overlapGradReduce: true))),
    ]

    /// A JSON number written as `digits.ddd` read back as whole nanoseconds, or nil when it has
    /// any other form (fewer or more than 3 decimals, exponent, sign).
    static func nanoseconds(_ text: Substring) -> Int? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[1].count == 3, let whole = Int(parts[0]), let fraction = Int(parts[1]),
              whole >= 0, parts[1].allSatisfy(\.isNumber) else { return nil }
        return whole * 1000 + fraction
    }

    @Test(arguments: 0..<schedules.count)
    func eventsAreWholeNanosecondsWithoutOverlap(_ index: Int) throws {
        let (name, setup) = Self.schedules[index]
        let result = try TraceTests.simulate(setup)
        let text = String(decoding: ChromeTrace.data(result), as: UTF8.self)
        let pattern = try NSRegularExpression(pattern: #""ts":([^,]*),"dur":([^,]*),"pid":(\d+),"tid":(\d+)"#)
        var lanes: [String: [(start: Int, end: Int)]] = [:]
        var count = 0
        for match in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
            let field = { (i: Int) in text[Range(match.range(at: i), in: text)!] }
            let ts = try #require(Self.nanoseconds(field(1)), "\(name): ts \(field(1)) is not µs with 3 decimals")
            let dur = try #require(Self.nanoseconds(field(2)), "\(name): dur \(field(2)) is not µs with 3 decimals")
            lanes["\(field(3)) \(field(4))", default: []].append((ts, ts + dur))
            count += 1
        }
        #expect(count == result.tasks.count, "\(name): one complete event per task")
        // The rounding is to the nearest nanosecond of the simulated start and end.
        let task = try #require(result.tasks.max { $0.end < $1.end })
        let latest = try #require(lanes.values.flatMap { $0 }.map(\.end).max())
        #expect(latest == Int((task.end * 1e9).rounded()), "\(name): last event ends at the step time in ns")
        var touching = 0
        for (lane, events) in lanes {
            let sorted = events.sorted { $0.start < $1.start }
            for (a, b) in zip(sorted, sorted.dropFirst()) {
                #expect(a.end <= b.start, "\(name): lane \(lane) event ending \(a.end) ns overlaps one starting \(b.start) ns")
                if a.end == b.start { touching += 1 }
            }
        }
        // Back-to-back events exist in every schedule: the case the old rounding broke.
        #expect(touching > 0, "\(name): no back-to-back events to check")
    }

    /// 1.0006 µs start, 2.0004 µs end: rounded separately (1.001, 1.000) they would overlap the
    /// next event at 2.000; rounding the ends gives ts 1.001 (from 1000.6 ns) and dur 0.999.
    @Test func durationIsRoundedEndMinusRoundedStart() {
        #expect(ChromeTrace.nanoseconds(1.0006e-6) == 1001)
        #expect(ChromeTrace.nanoseconds(2.0004e-6) == 2000)
        #expect(ChromeTrace.nanoseconds(-1) == 0 && ChromeTrace.nanoseconds(.nan) == 0)
    }
}

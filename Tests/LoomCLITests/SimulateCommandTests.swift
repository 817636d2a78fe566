import Foundation
import Testing

@Suite struct SimulateCommandTests {
    static let layout = ["--model", "gpt3-175b", "--cluster", "dgx-a100-80gb", "--gpus", "64", "--tp", "8", "--pp", "8",
                         "--micro-batch", "1", "--global-batch", "64", "--framework", "megatron-lm"]

    @Test func writesAValidChromeTraceAndSVG() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("loom-sim-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let trace = dir.appendingPathComponent("trace.json").path
        let svg = dir.appendingPathComponent("gantt.svg").path
        let result = try CLIRunner.run(["simulate"] + Self.layout + ["--trace", trace, "--svg", svg, "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(try CLIRunner.json(result) as? [String: Any])
        let simulated = try #require(json["simulated_step_time_s"] as? Double)
        let analytic = try #require(json["step_time_s"] as? Double)
        // Overlap off (megatron-lm): the event-level replay agrees with the analytic model within 1%.
        #expect(abs(simulated / analytic - 1) < 0.01)
        let traceJSON = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: trace)))
        let events = try #require((traceJSON as? [String: Any])?["traceEvents"] as? [[String: Any]])
        #expect(events.contains { $0["ph"] as? String == "X" && ($0["name"] as? String)?.hasPrefix("F mb") == true })
        let svgText = try String(contentsOfFile: svg, encoding: .utf8)
        #expect(svgText.contains("<svg"))
    }

    @Test func unwritableTracePathFailsBeforeSimulating() throws {
        let result = try CLIRunner.run(["simulate"] + Self.layout + ["--trace", "/nonexistent-dir/trace.json"])
        #expect(result.status != 0)
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(result.stderr.contains("/nonexistent-dir"))
    }
}

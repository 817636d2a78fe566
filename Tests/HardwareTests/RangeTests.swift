import Foundation
import Hardware
import Testing

/// Every number a topology supplies is finite and in its physical range (issue 14): values that
/// are positive and finite yet turned the step time into NaN are refused with one line.
@Suite struct RangeTests {
    static func preset() throws -> String {
        try String(contentsOf: repositoryRoot().appendingPathComponent("Topologies/dgx-h100.yaml"), encoding: .utf8)
    }

    static func repositoryRoot() -> URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// The preset with the first `key: value` line whose key is `key` given `value` instead.
    static func replacing(_ key: String, with value: String) throws -> String {
        var lines = try preset().components(separatedBy: "\n")
        let index = try #require(lines.firstIndex { $0.trimmingCharacters(in: .whitespaces).hasPrefix(key + ":") })
        let indent = lines[index].prefix { $0 == " " }
        lines[index] = indent + key + ": " + value
        return lines.joined(separator: "\n")
    }

    @Test(arguments: [
        ("matmul_half_efficiency_dim", "1e308", "accelerator.matmul_half_efficiency_dim is 1e+308, must be between 0 and 1000000"),
        ("memory_bandwidth_gbps", "5e-324", "accelerator.memory_bandwidth_gbps is 5e-324, must be between 0.001 and 1000000"),
        ("memory_gib", "1e7", "accelerator.memory_gib is 10000000, must be between 0.001 and 1000000"),
        ("matmul_efficiency", "1e-9", "accelerator.matmul_efficiency is 1e-09, must be between 0.001 and 1.25"),
        ("peak_tflops", "{fp32: 66.9, tf32: 494.7, bf16: 2e6, fp8: 1978.9}", "accelerator.peak_tflops.bf16 is 2000000, must be 0 or between 0.001 and 1000000"),
        ("peak_tflops", "{fp32: 66.9, tf32: 494.7, bf16: 989.4, fp8: 1e-12}", "accelerator.peak_tflops.fp8 is 1e-12, must be 0 or between 0.001 and 1000000"),
        ("accelerators", "2000000", "node.accelerators is 2000000, must be between 1 and 1000000"),
        ("memory_bandwidth_gbps", "\"3350\"", "accelerator.memory_bandwidth_gbps must be a number, got the quoted string '3350'"),
        ("memory_bandwidth_gbps", ".nan", "accelerator.memory_bandwidth_gbps is nan, must be a finite number"),
    ])
    func outOfRangeValuesAreOneLine(key: String, value: String, expected: String) throws {
        let text = try Self.replacing(key, with: value)
        let error = #expect(throws: TopologyError.self) { try TopologyLoader.parse(text, file: "t.yaml") }
        let message = error?.description ?? ""
        #expect(message.hasPrefix("t.yaml:") && message.hasSuffix(expected), "\(message)")
        #expect(!message.contains("\n"))
    }

    @Test func scaleOutBandwidthBelowOneMegabytePerSecondIsRefused() throws {
        // scale_out's bandwidth_gbps is the second bandwidth_gbps line (after node.scale_up's).
        var lines = try Self.preset().components(separatedBy: "\n")
        let indices = lines.indices.filter { lines[$0].trimmingCharacters(in: .whitespaces).hasPrefix("bandwidth_gbps:") }
        let last = try #require(indices.last)
        lines[last] = "  bandwidth_gbps: 0.0009"
        let error = #expect(throws: TopologyError.self) {
            try TopologyLoader.parse(lines.joined(separator: "\n"), file: "t.yaml")
        }
        #expect(error?.description.hasSuffix("scale_out.bandwidth_gbps is 0.0009, must be between 0.001 and 1000000") == true,
                "\(error?.description ?? "")")
    }

    @Test func everyPresetIsInsideTheRanges() throws {
        let folder = Self.repositoryRoot().appendingPathComponent("Topologies")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".yaml") }
        #expect(files.count >= 8)
        for file in files {
            #expect(throws: Never.self) { try TopologyLoader.load(path: folder.appendingPathComponent(file).path) }
        }
    }
}

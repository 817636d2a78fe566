import Foundation
import Testing
@testable import Workloads

/// Sizes in model files are counts: negative ones and quoted numbers are refused with one line,
/// and the input limits apply to config.json and Loom files alike (issue 14).
@Suite struct InputRangeTests {
    static func qwenMoE(_ replace: String, with value: String) throws -> String {
        let text = try String(contentsOfFile: try Fixtures.path("huggingface/Qwen1.5-MoE-A2.7B.json"), encoding: .utf8)
        let pattern = "\"\(replace)\": "
        let lines = text.components(separatedBy: "\n").map { line in
            guard let range = line.range(of: pattern) else { return line }
            let trailingComma = line.hasSuffix(",") ? "," : ""
            return String(line[..<range.upperBound]) + value + trailingComma
        }
        return try Fixtures.temporary("config.json", lines.joined(separator: "\n"))
    }

    @Test func negativeSharedExpertSizeIsRefused() throws {
        // With -1 read as "no shared expert", the model lost 0.8B parameters silently.
        let path = try Self.qwenMoE("shared_expert_intermediate_size", with: "-1")
        let error = #expect(throws: WorkloadError.self) { try ModelCatalog.load(path) }
        #expect(error?.description == "\(path): key 'shared_expert_intermediate_size' must be a non-negative integer "
                    + "(a size or a count), got -1")
    }

    @Test func quotedNumberIsNotANumber() throws {
        let path = try Self.qwenMoE("shared_expert_intermediate_size", with: "\"1e308\"")
        let error = #expect(throws: WorkloadError.self) { try ModelCatalog.load(path) }
        #expect(error?.description.hasPrefix("\(path): key 'shared_expert_intermediate_size' must be an integer") == true,
                "\(error?.description ?? "")")
    }

    @Test func theUnchangedFixtureStillLoads() throws {
        let path = try Self.qwenMoE("shared_expert_intermediate_size", with: "5632")
        // Qwen1.5-MoE-A2.7B: 14.3B parameters (Hugging Face model card "14.3B params").
        let model = try ModelCatalog.load(path)
        #expect(abs(Double(model.parameterCount.total) / 1e9 - 14.3) < 0.05)
    }

    @Test func deepAndAliasedLoomFilesAreRefused() throws {
        let deep = try Fixtures.temporary("deep.yaml", String(repeating: "[", count: 5000) + "\n")
        #expect(throws: WorkloadError.self) { try ModelCatalog.load(deep) }
        var lines = ["a0: &a0 [" + Array(repeating: "x", count: 9).joined(separator: ", ") + "]"]
        for level in 1...8 {
            lines.append("a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 9).joined(separator: ", ") + "]")
        }
        let bomb = try Fixtures.temporary("bomb.yaml", lines.joined(separator: "\n") + "\n")
        let error = #expect(throws: WorkloadError.self) { try ModelCatalog.load(bomb) }
        #expect(error?.description.contains("aliases") == true)
        let json = try Fixtures.temporary("deep.json", String(repeating: "{\"a\": ", count: 3000) + "1"
                                              + String(repeating: "}", count: 3000))
        #expect(throws: WorkloadError.self) { try ModelCatalog.load(json) }
    }

    /// Found by Fuzz/fuzz-model-file: a mapping key that is itself a mapping (`? ...`) trapped in
    /// Yams' conversion (Constructor.swift: a force-unwrapped string key). Now an unknown key.
    @Test func aComplexMappingKeyIsAnErrorNotATrap() throws {
        let path = try Fixtures.temporary("m.yaml", "  ?    f]fn: 256.\n  xperts:: 1  densex1#")
        let error = #expect(throws: WorkloadError.self) { try ModelCatalog.load(path) }
        #expect(error?.description == "\(path): unknown key 'a mapping'", "\(error?.description ?? "")")
    }
}

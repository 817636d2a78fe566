import Foundation
import Testing

@Suite struct ClustersCommandTests {
    static let presets = ["a100-40gb-pcie", "a100-80gb-pcie", "a10g", "a40", "a800-80gb", "dgx-a100-40gb", "dgx-a100-80gb",
                          "dgx-b200", "dgx-b300", "dgx-h100", "dgx-h200", "dgx-h800", "gb200-nvl72",
                          "gb300-nvl72", "grand-teton-h100", "h100-pcie", "h20", "l4", "l40", "l40s", "mi300x", "mi325x", "p100", "rtx-2080-ti", "rtx-3060", "rtx-3070", "rtx-3080",
                          "rtx-3090", "rtx-4060", "rtx-4060-ti", "rtx-4070", "rtx-4070-ti", "rtx-4080", "rtx-4090", "rtx-5090", "rtx-6000-ada",
                          "rtx-a4000", "rtx-a5000", "rtx-a6000", "rtx-pro-6000", "t4", "tpu-v4", "tpu-v5e", "tpu-v5p", "tpu-v6e", "tpu-v7x", "v100-16gb", "v100-32gb"]

    @Test func tableListsEveryPreset() throws {
        let result = try CLIRunner.run(["clusters"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("NAME") == true)
        #expect(lines.first?.contains("SCALE-OUT GB/s") == true)
        for name in Self.presets {
            #expect(lines.contains { $0.hasPrefix(name + " ") }, "\(name) missing")
        }
        let h100 = try #require(lines.first { $0.hasPrefix("dgx-h100 ") })
        #expect(h100.contains("H100-SXM5-80GB"))
        #expect(h100.contains("989.4"))
        #expect(h100.contains("450"))
        #expect(result.stderr.isEmpty)
    }

    @Test func jsonIsOneDocumentWithTheFigures() throws {
        let result = try CLIRunner.run(["clusters", "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let document = try #require(try CLIRunner.json(result) as? [String: Any])
        let clusters = try #require(document["clusters"] as? [[String: Any]])
        #expect(clusters.compactMap { $0["name"] as? String } == Self.presets)
        let a100 = try #require(clusters.first { $0["name"] as? String == "dgx-a100-80gb" })
        #expect(a100["bf16_tflops"] as? Double == 312)
        #expect(a100["hbm_gib"] as? Double == 80)
        #expect(a100["gpus_per_node"] as? Int == 8)
        #expect(a100["scale_up_gbps"] as? Double == 300)
        #expect(a100["scale_out_gbps"] as? Double == 25)
        #expect(a100["accelerator"] as? String == "A100-SXM4-80GB")
        #expect(a100["max_nodes"] is NSNull)
        #expect((a100["source"] as? String)?.hasSuffix("Topologies/dgx-a100-80gb.yaml") == true)
        let tpu = try #require(clusters.first { $0["name"] as? String == "tpu-v4" })
        // 4096 chips per pod / 4 chips per host (Cloud TPU v4 docs).
        #expect(tpu["max_nodes"] as? Int == 1024)
        #expect((document["problems"] as? [Any])?.isEmpty == true)
    }

    @Test func loomTopologiesComesFirstAndBrokenFilesAreReported() throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("loom-clusters-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let original = try String(contentsOf: CLIRunner.repositoryRoot.appendingPathComponent("Topologies/dgx-h100.yaml"),
                                  encoding: .utf8)
        try original.replacingOccurrences(of: "name: dgx-h100", with: "name: my-h100")
            .write(to: directory.appendingPathComponent("my-h100.yaml"), atomically: true, encoding: .utf8)
        try "name: [unclosed\n".write(to: directory.appendingPathComponent("broken.yaml"), atomically: true,
                                      encoding: .utf8)
        let result = try CLIRunner.run(["clusters", "--format", "json"], extraEnvironment: ["LOOM_TOPOLOGIES": directory.path])
        #expect(result.status == 0)
        let document = try #require(try CLIRunner.json(result) as? [String: Any])
        let names = (document["clusters"] as? [[String: Any]])?.compactMap { $0["name"] as? String } ?? []
        #expect(names.contains("my-h100"))
        #expect(names.contains("dgx-h100"))
        #expect(result.stderr.contains("broken.yaml:"))
        #expect(result.stderr.contains("malformed YAML"))
        #expect((document["problems"] as? [String])?.count == 1)
    }

    @Test func badFormatIsOneLineError() throws {
        let result = try CLIRunner.run(["clusters", "--format", "xml"])
        #expect(result.status != 0)
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(result.stderr.contains("xml"))
    }

    @Test func helpHasExamples() throws {
        let result = try CLIRunner.run(["clusters", "--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("Examples"))
        #expect(result.stdout.contains("LOOM_TOPOLOGIES"))
    }
}

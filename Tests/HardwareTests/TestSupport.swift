import Foundation
@testable import Hardware

/// Paths and fixtures shared by the Hardware tests.
enum Fixture {
    /// The repository root (where Package.swift is).
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The shipped presets.
    static let topologies = repositoryRoot.appendingPathComponent("Topologies")

    static let presetNames = ["a100-40gb-pcie", "a100-80gb-pcie", "a10g", "a40", "a800-80gb", "dgx-a100-40gb", "dgx-a100-80gb",
                              "dgx-b200", "dgx-b300", "dgx-h100", "dgx-h200", "dgx-h800", "gb200-nvl72",
                              "gb300-nvl72", "grand-teton-h100", "h100-pcie", "h20", "l4", "l40", "l40s", "mi300x", "mi325x", "p100", "rtx-2080-ti", "rtx-3060", "rtx-3070", "rtx-3080",
                              "rtx-3090", "rtx-4060", "rtx-4060-ti", "rtx-4070", "rtx-4070-ti", "rtx-4080", "rtx-4090", "rtx-5090", "rtx-6000-ada",
                              "rtx-a4000", "rtx-a5000", "rtx-a6000", "rtx-pro-6000", "t4", "tpu-v4", "tpu-v5e", "tpu-v5p", "tpu-v6e", "tpu-v7x", "v100-16gb", "v100-32gb"]

    /// A catalog of the repository's Topologies/ only, whatever the environment says.
    static var presetCatalog: TopologyCatalog {
        TopologyCatalog(directories: [.init(path: topologies.path, origin: "repository")])
    }

    static func preset(_ name: String) throws -> ClusterTopology {
        try presetCatalog.load(name)
    }

    /// A fresh empty directory under the system temporary directory.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("loom-hardware-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A small valid topology file, as text, for editing in tests.
    static let minimalYAML = """
        name: tiny
        description: a test cluster
        accelerator:
          name: X1
          peak_tflops: {fp32: 10, tf32: 20, bf16: 40, fp8: 0}
          memory_gib: 16
          memory_bandwidth_gbps: 1000
          matmul_efficiency: 0.8
          matmul_half_efficiency_dim: 128
          memory_bandwidth_efficiency: 0.85
          reserved_memory_gib: 1
          attention_efficiency: 0.5
        node:
          accelerators: 4
          scale_up: {name: link, bandwidth_gbps: 100, latency_us: 1, bus_efficiency: 0.8, topology: mesh}
        scale_out:
          name: net
          bandwidth_gbps: 12.5
          latency_us: 5
          bus_efficiency: 0.9
          topology: fat-tree
          oversubscription: 2
        max_nodes: 16

        """

    /// `minimalYAML` with one line replaced (the first line that starts with `prefix`, after
    /// leading spaces), or removed when `with` is nil.
    static func minimal(replacing prefix: String, with replacement: String?) -> String {
        var lines = minimalYAML.components(separatedBy: "\n")
        guard let index = lines.firstIndex(where: {
            $0.drop(while: { $0 == " " }).hasPrefix(prefix)
        }) else { return minimalYAML }
        if let replacement {
            let indent = String(lines[index].prefix(while: { $0 == " " }))
            lines[index] = indent + replacement
        } else {
            lines.remove(at: index)
        }
        return lines.joined(separator: "\n")
    }
}

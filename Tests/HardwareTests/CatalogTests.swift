import NameMatching
import Foundation
import Testing
@testable import Hardware

@Suite struct CatalogTests {
    @Test func loadsByNameAndByPath() throws {
        let byName = try Fixture.presetCatalog.load("dgx-h100")
        let path = Fixture.topologies.appendingPathComponent("dgx-h100.yaml").path
        let byPath = try Fixture.presetCatalog.load(path)
        #expect(byName == byPath)
        #expect(TopologyCatalog.isPath("my/cluster"))
        #expect(TopologyCatalog.isPath("cluster.yml"))
        #expect(!TopologyCatalog.isPath("dgx-h100"))
    }

    @Test func unknownNameSuggestsNearestAndSaysWhereItLooked() {
        let error = expectTopologyError { try Fixture.presetCatalog.load("dgx-a100") }
        #expect(error?.kind == .unknownTopology)
        let text = error?.description ?? ""
        #expect(text.contains("unknown cluster 'dgx-a100'"))
        #expect(text.contains("nearest: dgx-a100-40gb, dgx-a100-80gb"))
        #expect(text.contains(Fixture.topologies.path))
        let typo = expectTopologyError { try Fixture.presetCatalog.load("dgx-h10") }
        #expect(typo?.description.contains("nearest: dgx-h100") == true)
        let far = expectTopologyError { try Fixture.presetCatalog.load("cray-xc40") }
        #expect(far?.description.contains("available: a100-40gb-pcie, a100-80gb-pcie, a10g, a40, a800-80gb, dgx-a100-40gb") == true)
    }

    @Test func emptyNameIsAnError() {
        let error = expectTopologyError { try Fixture.presetCatalog.load("  ") }
        #expect(error?.kind == .unknownTopology)
    }

    @Test func missingPathIsFileNotFound() {
        let error = expectTopologyError { try Fixture.presetCatalog.load("Topologies/nope.yaml") }
        #expect(error?.kind == .fileNotFound)
    }

    @Test func earlierDirectoriesShadowLaterOnes() throws {
        let override = try Fixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: override) }
        var custom = try Fixture.preset("dgx-h100")
        custom.description = "my own H100 cluster"
        custom.maxNodes = 4
        try custom.yamlString().write(to: override.appendingPathComponent("dgx-h100.yaml"), atomically: true,
                                      encoding: .utf8)
        try Fixture.minimalYAML.write(to: override.appendingPathComponent("tiny.yaml"), atomically: true,
                                      encoding: .utf8)
        try "name: [broken\n".write(to: override.appendingPathComponent("broken.yaml"), atomically: true,
                                    encoding: .utf8)
        let catalog = TopologyCatalog(directories: [
            .init(path: override.path, origin: "$LOOM_TOPOLOGIES"),
            .init(path: Fixture.topologies.path, origin: "repository"),
        ])
        #expect(try catalog.load("dgx-h100").description == "my own H100 cluster")
        #expect(try catalog.load("tiny").name == "tiny")
        #expect(try catalog.load("dgx-b200").name == "dgx-b200")
        let listing = catalog.all()
        #expect(listing.entries.count == Fixture.presetNames.count + 1)
        #expect(listing.entries.first { $0.name == "dgx-h100" }?.directory.path == override.path)
        #expect(listing.problems.count == 1)
        #expect(listing.problems.first?.kind == .malformedYAML)
        #expect(listing.problems.first?.file?.hasSuffix("broken.yaml") == true)
    }

    @Test func standardCatalogOrder() throws {
        let exe = Fixture.repositoryRoot.appendingPathComponent(".build/debug/loom")
        let catalog = TopologyCatalog.standard(environment: ["LOOM_TOPOLOGIES": "/a:relative/b::"],
                                               currentDirectory: "/work/somewhere", executable: exe)
        #expect(catalog.directories.map(\.path) == ["/a", "/work/somewhere/relative/b", "/work/somewhere/Topologies",
                                                    Fixture.topologies.standardizedFileURL.path])
        #expect(catalog.directories.map(\.origin) == ["$LOOM_TOPOLOGIES", "$LOOM_TOPOLOGIES", "./Topologies",
                                                      "repository"])
        // Outside any repository there is no third place.
        let loose = TopologyCatalog.standard(environment: [:], currentDirectory: "/",
                                             executable: URL(fileURLWithPath: "/usr/local/bin/loom"))
        #expect(loose.directories.map(\.path) == ["/Topologies"])
        let error = expectTopologyError { try loose.load("dgx-h100") }
        #expect(error?.description.contains("/Topologies (missing)") == true)
        #expect(error?.description.contains("$LOOM_TOPOLOGIES unset") == true)
    }

    /// The test bundle normally runs from .build*/debug inside the repository, and then finds
    /// its Topologies/; built with a scratch path elsewhere it has no repository to find, and
    /// must not claim this one. Either way something is checked.
    @Test func standardCatalogFindsTheRepositoryFromTheTestBinary() throws {
        let exe = try #require(TopologyCatalog.executableURL())
        let catalog = TopologyCatalog.standard(environment: [:], currentDirectory: "/")
        let found = catalog.directories.contains { $0.origin == "repository" && $0.path == Fixture.topologies.path }
        if exe.path.hasPrefix(Fixture.repositoryRoot.path) {
            #expect(found, "\(exe.path) is inside the repository")
            #expect(try catalog.load("tpu-v4").name == "tpu-v4")
        } else {
            #expect(!found, "\(exe.path) is outside the repository")
        }
    }

    @Test func nearestNamesRanking() {
        let names = ["dgx-a100-40gb", "dgx-a100-80gb", "dgx-h100", "mi300x"]
        #expect(nearestNames(to: "mi300", in: names, limit: 3) == ["mi300x"])
        #expect(nearestNames(to: "DGX-H100", in: names, limit: 1) == ["dgx-h100"])
        #expect(nearestNames(to: "zzzzzzzz", in: names, limit: 3).isEmpty)
        #expect(NameSuggestions.editDistance(Array("kitten"), Array("sitting")) == 3)
    }
}

@Suite struct GPUCountTests {
    @Test func countsUpToOneNodeAreAllowed() throws {
        let h100 = try Fixture.preset("dgx-h100")
        for gpus in 1...8 {
            try h100.checkGPUCount(gpus)
            #expect(h100.nodes(for: gpus) == 1)
        }
        try h100.checkGPUCount(512)
        #expect(h100.nodes(for: 512) == 64)
    }

    @Test func nonMultipleOfNodeSizeIsRejected() throws {
        let a100 = try Fixture.preset("dgx-a100-80gb")
        let error = expectTopologyError { try a100.checkGPUCount(12) }
        #expect(error?.kind == .invalidGPUCount)
        #expect(error?.description == "--gpus 12 is not a multiple of 8 GPUs per node on dgx-a100-80gb")
    }

    @Test func zeroAndNegativeAreRejected() throws {
        let a100 = try Fixture.preset("dgx-a100-80gb")
        #expect(expectTopologyError { try a100.checkGPUCount(0) }?.description == "--gpus 0 must be positive")
        #expect(expectTopologyError { try a100.checkGPUCount(-8) }?.kind == .invalidGPUCount)
    }

    @Test func maxNodesIsEnforced() throws {
        let rtx = try Fixture.preset("rtx-4090")
        let most = try #require(rtx.maxNodes) * rtx.acceleratorsPerHost
        try rtx.checkGPUCount(most)
        let error = expectTopologyError { try rtx.checkGPUCount(most + rtx.acceleratorsPerHost) }
        #expect(error?.description.hasPrefix("--gpus \(most + rtx.acceleratorsPerHost) needs") == true)
        // No overflow on absurd counts.
        #expect(expectTopologyError { try rtx.checkGPUCount(Int.max - 63) }?.kind == .invalidGPUCount)
        #expect(rtx.nodes(for: Int.max) > 0)
    }

    /// A TPU job larger than one pod runs as several slices over DCN (max_nodes is one pod):
    /// 4,160 v4 chips are 65 slices of one 4x4x4 cube, the fewest equal slices v4 offers
    /// (2 x 2,080 and 5 x 832 are not whole cubes or exceed 16 chips per axis).
    @Test func torusJobsBeyondAPodAreSlices() throws {
        let tpu = try Fixture.preset("tpu-v4")
        try tpu.checkGPUCount(4160)
        #expect(try tpu.torusSlices(gpus: 4160) == TorusSlices(count: 65, shape: [4, 4, 4]))
        // Absurd counts neither overflow nor hang: 2^63 - 64 chips are 2^57 - 1 one-cube slices.
        #expect(try tpu.torusSlices(gpus: Int.max - 63)?.count == (Int.max - 63) / 64)
        #expect(expectTopologyError { try tpu.checkGPUCount(Int.max - 1) }?.kind == .invalidGPUCount)
    }

    /// NVL72: 4-GPU hosts (compute trays) in a 72-GPU NVLink domain; any whole number of hosts is
    /// a valid job, whether or not it fills its last rack.
    @Test func rackScaleNodes() throws {
        for name in ["gb200-nvl72", "gb300-nvl72"] {
            let nvl72 = try Fixture.preset(name)
            #expect(nvl72.acceleratorsPerHost == 4)
            #expect(nvl72.acceleratorsPerNode == 72)
            try nvl72.checkGPUCount(64)
            try nvl72.checkGPUCount(128)
            try nvl72.checkGPUCount(144)
            try nvl72.checkGPUCount(256)   // 3 racks of 72 + 40 GPUs (10 hosts) of a fourth
            #expect(nvl72.nodes(for: 256) == 64)
            #expect(expectTopologyError { try nvl72.checkGPUCount(130) }?.description
                        == "--gpus 130 is not a multiple of 4 GPUs per node on \(name)")
        }
    }
}

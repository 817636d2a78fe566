import ArgumentParser
import Foundation
import Hardware

/// `loom clusters`: lists the cluster topologies that `--cluster NAME` accepts, with the figures
/// that matter most when comparing them (GPUs per node, bf16 peak, HBM, scale-up and scale-out
/// bandwidth per GPU). The data come from the YAML files of the topology catalog
/// (`TopologyCatalog`); nothing is modelled here.
struct ClustersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clusters",
        abstract: "List the cluster topologies that --cluster accepts.",
        discussion: """
            Each topology is a YAML file (schema: Topologies/README.md). A name N is looked up as \
            N.yaml in these directories, first match wins: each directory of $LOOM_TOPOLOGIES \
            (colon-separated), ./Topologies, then the repository's Topologies/ found from the loom \
            binary. Any command's --cluster also takes a path to a YAML file.

            Bandwidths are GB/s per GPU per direction (datasheet line rates); BF16 is the dense \
            tensor-core peak in TFLOP/s. A file that fails to load is reported on stderr and the \
            others are still listed.

            Examples:
              loom clusters
              loom clusters --format json
              LOOM_TOPOLOGIES=$HOME/clusters loom clusters
              loom estimate --cluster dgx-h100 ...        (a name from this list)
              loom estimate --cluster ./my-cluster.yaml ... (or a file)
            """
    )

    @OptionGroup var output: FormatOption

    func run() throws {
        let catalog = TopologyCatalog.standard()
        let listing = catalog.all()
        for problem in listing.problems {
            FileHandle.standardError.write(Data("loom: warning: skipped \(problem)\n".utf8))
        }
        guard !listing.entries.isEmpty else {
            let places = catalog.directories.map(\.path).joined(separator: ", ")
            throw TopologyError(.unknownTopology,
                                "no cluster topologies found; looked for *.yaml in \(places) (set $LOOM_TOPOLOGIES)")
        }
        let rows = listing.entries.map(ClusterSummary.init)
        switch output.format {
        case .json:
            try JSONOutput.print(ClusterList(clusters: rows, problems: listing.problems.map(\.description)))
        case .table:
            print(Self.table(rows).render())
            let sources = Set(listing.entries.map(\.directory.path)).sorted()
            print("\n\(rows.count) clusters from \(sources.joined(separator: ", "))")
        }
    }

    static func table(_ rows: [ClusterSummary]) -> TextTable {
        var table = TextTable(["NAME", "ACCELERATOR", "GPUS/NODE", "BF16 TFLOPS", "HBM GiB", "SCALE-UP GB/s",
                               "SCALE-OUT GB/s", "DESCRIPTION"],
                              alignments: [.left, .left, .right, .right, .right, .right, .right, .left])
        for row in rows {
            table.add([row.name, row.accelerator, String(row.gpusPerNode), number(row.bf16TFLOPS),
                       number(row.hbmGiB), number(row.scaleUpGBps), number(row.scaleOutGBps),
                       abbreviated(row.description, to: 72)])
        }
        return table
    }

    /// Integers without a fraction, others with one decimal (1307.4, 12.5).
    static func number(_ value: Double) -> String {
        value == value.rounded() ? String(format: "%.0f", value) : String(format: "%.1f", value)
    }

    static func abbreviated(_ text: String, to limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(max(limit - 3, 0))) + "..."
    }
}

/// One row of `loom clusters`; in JSON, keys as spelled in `CodingKeys`.
struct ClusterSummary: Encodable {
    var name: String
    var description: String
    var accelerator: String
    var gpusPerNode: Int
    var bf16TFLOPS: Double
    var hbmGiB: Double
    var memoryBandwidthGBps: Double
    var scaleUp: String
    var scaleUpGBps: Double
    var scaleOut: String
    var scaleOutGBps: Double
    var maxNodes: Int?
    var source: String

    init(_ entry: TopologyCatalog.Entry) {
        let topology = entry.topology
        name = entry.name
        description = topology.description
        accelerator = topology.accelerator.name
        gpusPerNode = topology.acceleratorsPerNode
        bf16TFLOPS = topology.accelerator.peakTFLOPS.bf16
        hbmGiB = topology.accelerator.memoryGiB
        memoryBandwidthGBps = topology.accelerator.memoryBandwidthGBps
        scaleUp = topology.node.scaleUp.name
        scaleUpGBps = topology.node.scaleUp.bandwidthGBps
        scaleOut = topology.scaleOut.name
        scaleOutGBps = topology.scaleOut.bandwidthGBps
        maxNodes = topology.maxNodes
        source = entry.file
    }

    enum CodingKeys: String, CodingKey {
        case name, description, accelerator, source
        case gpusPerNode = "gpus_per_node"
        case bf16TFLOPS = "bf16_tflops"
        case hbmGiB = "hbm_gib"
        case memoryBandwidthGBps = "memory_bandwidth_gbps"
        case scaleUp = "scale_up"
        case scaleUpGBps = "scale_up_gbps"
        case scaleOut = "scale_out"
        case scaleOutGBps = "scale_out_gbps"
        case maxNodes = "max_nodes"
    }

    func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(description, forKey: .description)
        try container.encode(accelerator, forKey: .accelerator)
        try container.encode(gpusPerNode, forKey: .gpusPerNode)
        try container.encode(bf16TFLOPS, forKey: .bf16TFLOPS)
        try container.encode(hbmGiB, forKey: .hbmGiB)
        try container.encode(memoryBandwidthGBps, forKey: .memoryBandwidthGBps)
        try container.encode(scaleUp, forKey: .scaleUp)
        try container.encode(scaleUpGBps, forKey: .scaleUpGBps)
        try container.encode(scaleOut, forKey: .scaleOut)
        try container.encode(scaleOutGBps, forKey: .scaleOutGBps)
        try container.encode(maxNodes, forKey: .maxNodes)   // null when unbounded
        try container.encode(source, forKey: .source)
    }
}

/// The JSON document of `loom clusters --format json`.
struct ClusterList: Encodable {
    var clusters: [ClusterSummary]
    /// Files that failed to load, one line each (also printed on stderr).
    var problems: [String]
}

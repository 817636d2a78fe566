import CostModel
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Hardware
import Planner
import Reporting
import Workloads

/// A small real sweep shared by the tests: Llama-3.1-8B on DGX H100 at 8, 12, 16 and 32 GPUs
/// (12 is not a whole number of 8-GPU nodes, so that row has no layout).
enum ReportFixtures {
    static let model: TransformerModel? = try? ModelCatalog.load("llama-3.1-8b")
    static let cluster: ClusterTopology? = try? TopologyCatalog.load("dgx-h100")

    static let scaling: ScalingReport? = {
        guard let model, let cluster else { return nil }
        guard let sweep = try? ScalingSweep.scaling(model: model, cluster: cluster, gpus: [8, 12, 16, 32], globalBatch: 128,
                                                    seq: 4096, mode: .strong, policy: .best(PlanConstraints())),
              let outcomes = try? sweep.run() else { return nil }
        return ScalingReport(kind: .scaling, model: model, sweep: sweep, outcomes: outcomes, mode: .strong,
                             trainTokens: nil, prices: [cluster.name: 2.5])
    }()

    /// A fresh directory under the system temporary directory.
    static func temporaryDirectory(_ name: String = #function) -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("loom-reporting-tests-\(UUID().uuidString.prefix(8))")
            .appendingPathComponent(name.filter { $0.isLetter || $0.isNumber })
        try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        return url
    }

    /// Whether `text` is well-formed XML (Foundation's XMLParser).
    static func parsesAsXML(_ text: String) -> Bool {
        let parser = XMLParser(data: Data(text.utf8))
        return parser.parse()
    }
}

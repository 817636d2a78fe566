import CostModel
import Foundation
import FuzzSupport
import Hardware
import Workloads

/// A topology YAML file: read and validate; a topology that loads must give a finite estimate
/// of a small model on one node (every number it supplies is in range, so the formulas survive).
@_cdecl("fuzz_topology_main")
public func fuzz_topology_main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    Fuzz.run(argc, argv, fuzzTopology)
}

func fuzzTopology(_ data: Data) {
    guard let text = String(data: data, encoding: .utf8),
          let cluster = try? TopologyLoader.parse(text, file: "fuzz.yaml")
    else { return }
    let gpus = min(cluster.acceleratorsPerNode, 8)
    let layout = ParallelLayout(tp: gpus, globalBatch: 8, seq: 1024)
    let recipe = TrainingRecipe()
    guard (try? LayoutValidation.check(layout, recipe: recipe, model: FuzzTopologyModel.model, cluster: cluster, gpus: gpus)) != nil
    else { return }
    Fuzz.requireFinite(Estimator(model: FuzzTopologyModel.model, cluster: cluster).estimate(layout, recipe: recipe), "estimate")
}

enum FuzzTopologyModel {
    static let model: TransformerModel = {
        guard let model = try? ModelCatalog.preset(named: "gpt2") else { fatalError("preset gpt2 is missing") }
        return model
    }()
}

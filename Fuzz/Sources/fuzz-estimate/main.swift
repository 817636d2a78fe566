import CostModel
import Foundation
import FuzzSupport
import Hardware
import Workloads

/// A layout built from the bytes (model and cluster from the presets, every layout field):
/// `LayoutValidation` either refuses it with an error, or the estimate is finite throughout.
@_cdecl("fuzz_estimate_main")
public func fuzz_estimate_main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    Fuzz.run(argc, argv, fuzzEstimate)
}

func fuzzEstimate(_ data: Data) {
    var bytes = ByteStream(data)
    let model = ModelCatalog.presets[bytes.pick(ModelCatalog.presets.count)].model
    let cluster = Fuzz.presets[bytes.pick(Fuzz.presets.count)]
    let (layout, recipe) = FuzzLayout.make(&bytes)
    guard (try? cluster.checkGPUCount(layout.gpus)) != nil,
          (try? LayoutValidation.check(layout, recipe: recipe, model: model, cluster: cluster, gpus: layout.gpus)) != nil
    else { return }
    Fuzz.requireFinite(Estimator(model: model, cluster: cluster).estimate(layout, recipe: recipe), "estimate")
}

/// The one place a fuzzed layout is built (the layout/recipe split changes only this).
enum FuzzLayout {
    static func make(_ bytes: inout ByteStream) -> (ParallelLayout, TrainingRecipe) {
        let recompute = Recompute.allCases[bytes.pick(Recompute.allCases.count)]
        let schedule = PipelineScheduleKind.allCases[bytes.pick(PipelineScheduleKind.allCases.count)]
        let framework = Framework.allCases[bytes.pick(Framework.allCases.count)]
        let optimizer = OptimizerKind.allCases[bytes.pick(OptimizerKind.allCases.count)]
        let tp = bytes.size(maxExponent: 4), pp = bytes.size(maxExponent: 5), dp = bytes.size(maxExponent: 10)
        let cp = bytes.size(maxExponent: 4), ep = bytes.size(maxExponent: 6), vpp = bytes.size(maxExponent: 3)
        let zero = bytes.pick(4)
        let microBatch = bytes.size(maxExponent: 4)
        let accumulation = bytes.size(maxExponent: 6)
        let seq = 128 << bytes.pick(14)
        let overlaps = (bytes.pick(3), bytes.pick(3), bytes.pick(3))
        func overlap(_ choice: Int) -> Bool? { choice == 0 ? nil : choice == 1 }
        let precision = Precision.allCases[bytes.pick(Precision.allCases.count)]
        let layout = ParallelLayout(
            tp: tp, pp: pp, dp: dp, cp: cp, ep: ep, vpp: vpp, zero: zero,
            sequenceParallel: bytes.flag(), microBatch: microBatch,
            globalBatch: microBatch * dp * accumulation, seq: seq, schedule: schedule)
        let recipe = TrainingRecipe(
            framework: framework, precision: precision, optimizer: optimizer, recompute: recompute,
            flashAttention: bytes.flag(), overlapGradReduce: overlap(overlaps.0), overlapParamGather: overlap(overlaps.1),
            overlapTPComm: overlap(overlaps.2))
        return (layout, recipe)
    }
}

import ArgumentParser
import CostModel
import Foundation
import Hardware
import Planner
import Workloads

/// `loom plan --emit-dir DIR`: the best plan as one case of the Tests/emit harness
/// (scripts/check-emit.sh DIR): `case.json` and each framework's files (layout in
/// Tests/emit/README.md). A framework that cannot express the plan gets no file and one line in
/// `unsupported.txt` with its `EmitError`.
enum EmitCase {
    /// The targets with a harness file format here; maxtext and peft print other formats.
    static let targets: [LaunchFormat] = [.megatron, .torchtitan, .deepspeed]

    static func write(_ plan: Estimate, model: TransformerModel, cluster: ClusterTopology, gpuArchMajor: Int,
                      only: [LaunchFormat]?, to path: String) throws {
        let dir = URL(fileURLWithPath: path)
        do {
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        } catch {
            throw ValidationError("--emit-dir \(path): cannot create the directory (\(error.localizedDescription))")
        }
        var files: [String: String] = [:]
        var unsupported: [String] = []
        for target in only ?? targets {
            do {
                switch target {
                case .megatron:
                    files["megatron.args"] = MegatronArguments.argumentsFile(
                        try MegatronArguments.argumentLines(plan, model: model, gpuArchMajor: gpuArchMajor)) + "\n"
                    let env = MegatronArguments.environment(plan, gpuArchMajor: gpuArchMajor)
                    if !env.isEmpty { files["megatron.env"] = env.joined(separator: "\n") + "\n" }
                case .torchtitan:
                    files["torchtitan.args"] = MegatronArguments.argumentsFile(try TorchtitanArguments.argumentLines(plan, model: model)) + "\n"
                case .deepspeed:
                    files["deepspeed.json"] = try DeepSpeedArguments.config(plan, model: model) + "\n"
                    files["deepspeed.args"] = MegatronArguments.argumentsFile(try DeepSpeedArguments.argumentLines(plan, model: model)) + "\n"
                case .maxtext, .peft:
                    unsupported.append("\(target.rawValue): no harness file format for Loom's \(target.rawValue) output yet")
                }
            } catch let error as EmitError {
                unsupported.append(error.description)
            }
        }
        let l = plan.layout
        let description = "\(model.name) on \(l.gpus) x \(cluster.accelerator.name): tp \(l.tp) (sp \(l.sequenceParallel ? "on" : "off")), "
            + "pp \(l.pp), vpp \(l.vpp), cp \(l.cp), ep \(l.ep), dp \(l.dp), ZeRO-\(l.zero), recompute \(l.recompute.rawValue), "
            + "\(plan.recipe.precision.rawValue), micro-batch \(l.microBatch), global batch \(l.globalBatch) x \(l.seq) (loom plan, ranked under \(l.framework.rawValue))"
        let caseInfo: [String: Any] = ["description": description, "world_size": l.gpus, "gpu_arch_major": gpuArchMajor,
                                       "accelerators_per_node": cluster.acceleratorsPerNode]
        let json = try JSONSerialization.data(withJSONObject: caseInfo, options: [.prettyPrinted, .sortedKeys])
        files["case.json"] = String(decoding: json, as: UTF8.self) + "\n"
        if !unsupported.isEmpty { files["unsupported.txt"] = unsupported.joined(separator: "\n") + "\n" }
        for name in ["megatron.args", "megatron.env", "torchtitan.args", "deepspeed.json", "deepspeed.args", "unsupported.txt"]
            where files[name] == nil {
            try? FileManager.default.removeItem(at: dir.appendingPathComponent(name))
        }
        for (name, text) in files {
            try Data(text.utf8).write(to: dir.appendingPathComponent(name), options: .atomic)
        }
    }
}

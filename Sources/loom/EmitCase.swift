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
    /// The targets written by default (peft only for plans that train adapters).
    static let targets: [LaunchFormat] = [.megatron, .torchtitan, .deepspeed, .maxtext, .peft]

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
                case .maxtext:
                    // Loom's MaxText overrides as a config file over base.yml; on GPUs one
                    // node is one slice (ICI inside it, DCN across nodes).
                    try LaunchArguments.requireFullTraining(plan, target: "maxtext")
                    try LaunchArguments.requirePrecision(plan, target: "maxtext", in: [.bf16])
                    let nodes = max(plan.layout.gpus / max(cluster.acceleratorsPerNode, 1), 1)
                    guard let inputs = MaxTextArguments.inputs(for: plan, slices: nodes) else {
                        throw EmitError(MaxTextArguments.noMeshMessage(plan, slices: nodes, unit: "node"))
                    }
                    let keys = [("base_config", "\"base.yml\""), ("hardware", "\"gpu\"")]
                        + MaxTextArguments.keys(inputs, model: model)
                    files["maxtext.yml"] = keys.map { "\($0.0): \($0.1)" }.joined(separator: "\n") + "\n"
                case .peft:
                    guard plan.recipe.recipe.fineTuning.method.usesAdapters else { continue }
                    files["peft.json"] = try peftCase(plan, model: model, hasBF16: cluster.accelerator.peakTFLOPS.bf16 > 0)
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
        for name in ["megatron.args", "megatron.env", "torchtitan.args", "deepspeed.json", "deepspeed.args", "maxtext.yml", "peft.json", "unsupported.txt"]
            where files[name] == nil {
            try? FileManager.default.removeItem(at: dir.appendingPathComponent(name))
        }
        for (name, text) in files {
            try Data(text.utf8).write(to: dir.appendingPathComponent(name), options: .atomic)
        }
    }

    /// `--emit peft`'s LoraConfig and TrainingArguments with the transformers config the
    /// harness builds the model from (Hugging Face `config.json` keys); Llama-style families only.
    static func peftCase(_ plan: Estimate, model: TransformerModel, hasBF16: Bool) throws -> String {
        let types = [("llama", "llama"), ("mistral", "mistral"), ("mixtral", "mixtral"), ("qwen2", "qwen2")]
        guard let type = types.first(where: { model.name.lowercased().hasPrefix($0.0) })?.1, !model.isEncoderDecoder else {
            throw EmitError("--emit peft: no transformers config is written for \(model.name) (Llama, Mistral, Mixtral, Qwen2 families)")
        }
        let emitted = try JSONSerialization.jsonObject(with: Data(PEFTArguments.json(plan, model: model, hasBF16: hasBF16).utf8)) as? [String: Any] ?? [:]
        var modelConfig: [String: Any] = [
            "model_type": type, "vocab_size": model.vocab, "hidden_size": model.hidden, "intermediate_size": model.ffn,
            "num_hidden_layers": model.layers, "num_attention_heads": model.heads, "num_key_value_heads": model.kvHeads,
            "max_position_embeddings": model.maxSeq, "tie_word_embeddings": model.tiedEmbeddings,
            "rope_theta": Double(ModelFamilyFacts.ropeBase(model)) ?? 10_000,
            "rms_norm_eps": Double(ModelFamilyFacts.normEpsilon(model)) ?? 1e-5,
        ]
        if model.headDim * model.heads != model.hidden { modelConfig["head_dim"] = model.headDim }
        if let moe = model.moe { modelConfig["num_local_experts"] = moe.experts; modelConfig["num_experts_per_tok"] = moe.expertsPerToken }
        var training = emitted["training_arguments"] as? [String: Any] ?? [:]
        training["report_to"] = "none"
        let document: [String: Any] = ["model_config": modelConfig, "lora": emitted["lora_config"] ?? [:], "training_arguments": training]
        return String(decoding: try JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted, .sortedKeys]), as: UTF8.self) + "\n"
    }
}

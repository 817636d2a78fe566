import Foundation
import Workloads

/// The names a published run's fields go by in the configs they are copied from: Hugging Face's
/// `config.json` (`num_hidden_layers`, `num_experts_per_tok`, `moe_intermediate_size`), Megatron's
/// arguments (`tensor_model_parallel_size`, `micro_batch_size`, `moe_router_topk`) and the usual
/// short forms (`mbs`, `gbs`). A run that states a field under one of these names, and not under
/// the runs file's own, is read as if it had used the file's name; and a layout that leaves out
/// TP or PP is 1 in them, its DP the GPUs over TP x PP x CP, as Megatron derives it.
enum RunsFileAliases {
    static let model: [String: [String]] = [
        "layers": ["num_hidden_layers", "num_layers", "n_layers", "n_layer"],
        "hidden": ["hidden_size", "d_model", "n_embd"],
        "heads": ["num_attention_heads", "n_heads", "n_head", "attention_heads"],
        "kv_heads": ["num_key_value_heads", "num_query_groups", "n_kv_heads"],
        "head_dim": ["kv_channels"],
        "ffn": ["intermediate_size", "ffn_hidden_size", "d_ff"],
        "vocab": ["vocab_size", "padded_vocab_size"],
        "seq": ["seq_length", "seq_len", "sequence_length", "max_seq_len"],
        "tied_embeddings": ["tie_word_embeddings"],
        "experts": ["num_experts", "n_routed_experts", "num_local_experts", "moe_num_experts"],
        "experts_per_token": ["num_experts_per_tok", "moe_router_topk", "moe_top_k", "top_k"],
        "expert_ffn": ["moe_intermediate_size", "moe_ffn_hidden_size", "expert_intermediate_size"],
        "shared_experts": ["n_shared_experts", "num_shared_experts"],
        "shared_expert_ffn": ["shared_expert_intermediate_size", "moe_shared_expert_intermediate_size"],
        "dense_layers": ["first_k_dense_replace"],
    ]
    static let layout: [String: [String]] = [
        "tp": ["tensor_model_parallel_size", "tensor_parallel"],
        "pp": ["pipeline_model_parallel_size", "pipeline_parallel"],
        "dp": ["data_parallel", "data_parallel_size"],
        "cp": ["context_parallel_size", "context_parallel"],
        "ep": ["expert_model_parallel_size", "expert_parallel"],
        "vpp": ["virtual_pipeline_model_parallel_size"],
        "micro_batch": ["micro_batch_size", "mbs"],
        "global_batch": ["global_batch_size", "gbs"],
    ]
    static let reported: [String: [String]] = [
        "tokens_per_s": ["tokens_per_sec", "tokens_per_second", "throughput_tokens_per_s"],
        "tokens_per_s_per_gpu": ["tokens_per_sec_per_gpu", "tokens_per_second_per_gpu", "tokens_per_gpu_per_s"],
        "tflops_per_gpu": ["model_tflops_per_gpu", "tflops"],
        "iteration_s": ["step_time_s", "iteration_time_s", "step_time"],
    ]

    /// The file's bytes, parsed once, with every run's aliased fields under the file's own names and
    /// the left-out parallel sizes filled in, and where the runs sit: the top-level array, or the
    /// array under `runs` of a top-level object (`keyPath` ["runs"]). The bytes as they are when
    /// nothing changes or the top level holds no runs.
    static func normalized(_ data: Data) -> (data: Data, keyPath: [String]) {
        guard let top = try? JSONSerialization.jsonObject(with: data) else { return (data, []) }
        let object = top as? [String: Any]
        guard var runs = (top as? [Any]) ?? (object?["runs"] as? [Any]) else { return (data, []) }
        let keyPath = object == nil ? [] : ["runs"]
        var changed = false
        for index in runs.indices {
            guard var run = runs[index] as? [String: Any] else { continue }
            changed = rename(&run, "model", model) || changed
            changed = fillModelFromPreset(&run) || changed
            changed = rename(&run, "layout", layout) || changed
            changed = rename(&run, "reported", reported) || changed
            changed = fillParallelSizes(&run) || changed
            changed = coerceValues(&run) || changed
            runs[index] = run
        }
        guard changed else { return (data, keyPath) }
        var container: Any = runs
        if var wrapper = object {
            wrapper["runs"] = runs
            container = wrapper
        }
        return ((try? JSONSerialization.data(withJSONObject: container)) ?? data, keyPath)
    }

    /// A model named rather than described (`model.preset`: a preset name or a Hugging Face id,
    /// as fine-tuning cases name theirs) takes the preset's architecture for every field the run
    /// leaves out; `seq` is the run's own. An unknown name fills nothing (the missing fields are
    /// then named).
    static func fillModelFromPreset(_ run: inout [String: Any]) -> Bool {
        guard var model = run["model"] as? [String: Any], let name = model["preset"] as? String,
              let resolved = RunMapping.presetName(forHuggingFace: name),
              let preset = try? ModelCatalog.preset(named: resolved) else { return false }
        var fields: [String: Any] = [
            "layers": preset.layers, "hidden": preset.hidden, "heads": preset.heads, "kv_heads": preset.kvHeads,
            "head_dim": preset.headDim, "ffn": preset.ffn, "vocab": preset.vocab, "mlp": preset.mlp.rawValue,
            "tied_embeddings": preset.tiedEmbeddings, "parallel_block": preset.parallelBlock,
            "qkv_bias": preset.qkvBias, "linear_bias": preset.linearBias, "qk_norm": preset.details.qkNorm,
        ]
        if let moe = preset.moe {
            fields["experts"] = moe.experts
            fields["experts_per_token"] = moe.expertsPerToken
            fields["expert_ffn"] = moe.expertFFN
            fields["shared_experts"] = moe.sharedExperts
            fields["shared_expert_ffn"] = moe.sharedExpertFFN
            fields["dense_layers"] = moe.denseLayers
        }
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        func object<T: Encodable>(_ value: T?) -> Any? {
            value.flatMap { try? encoder.encode($0) }.flatMap { try? JSONSerialization.jsonObject(with: $0) }
        }
        fields["mla"] = object(preset.mla)
        fields["attention_window"] = object(preset.attentionWindow)
        var changed = false
        for (key, value) in fields where model[key] == nil {
            model[key] = value
            changed = true
        }
        if changed { run["model"] = model }
        return changed
    }

    /// Copies each alias present under `section` to its file name when that name is absent.
    static func rename(_ run: inout [String: Any], _ section: String, _ aliases: [String: [String]]) -> Bool {
        guard var fields = run[section] as? [String: Any] else { return false }
        var changed = false
        for (name, others) in aliases where fields[name] == nil {
            if let alias = others.first(where: { fields[$0] != nil }) {
                fields[name] = fields.removeValue(forKey: alias)
                changed = true
            }
        }
        if changed { run[section] = fields }
        return changed
    }

    /// Numbers written as strings ("8", "1.5e5") in the model, layout, cluster and reported
    /// sections read as numbers, and a `verified` written as words ("V1", "yes") as true unless
    /// it begins with "no", "false" or "U".
    static func coerceValues(_ run: inout [String: Any]) -> Bool {
        var changed = false
        for section in ["model", "layout", "cluster", "reported"] {
            guard var fields = run[section] as? [String: Any] else { continue }
            var sectionChanged = false
            for (key, value) in fields {
                guard let text = value as? String, key != "preset", key != "mlp", key != "recompute",
                      let number = Double(text.trimmingCharacters(in: .whitespaces)), number.isFinite else { continue }
                fields[key] = number == number.rounded() && abs(number) < 1e15 ? Int(number) as Any : number as Any
                sectionChanged = true
            }
            if sectionChanged {
                run[section] = fields
                changed = true
            }
        }
        if let words = run["verified"] as? String {
            let word = words.lowercased().trimmingCharacters(in: .whitespaces)
            run["verified"] = !(word.hasPrefix("no") || word.hasPrefix("false") || word.hasPrefix("u"))
            changed = true
        }
        return changed
    }

    /// TP and PP of 1 where the layout leaves them out; DP as GPUs / (TP x PP x CP) when that
    /// divides.
    static func fillParallelSizes(_ run: inout [String: Any]) -> Bool {
        guard var layout = run["layout"] as? [String: Any] else { return false }
        var changed = false
        for name in ["tp", "pp"] where layout[name] == nil || layout[name] is NSNull {
            layout[name] = 1
            changed = true
        }
        let cp = layout["cp"] as? Int ?? 1
        if layout["dp"] == nil || layout["dp"] is NSNull,
           let gpus = (run["cluster"] as? [String: Any])?["gpus"] as? Int,
           let tp = layout["tp"] as? Int, let pp = layout["pp"] as? Int,
           tp > 0, pp > 0, cp > 0, gpus % (tp * pp * cp) == 0 {
            layout["dp"] = gpus / (tp * pp * cp)
            changed = true
        }
        if changed { run["layout"] = layout }
        return changed
    }
}

import CostModel
import Foundation
import Hardware
import Workloads

/// Which model and which topology a fine-tuning case names, from the words a source prints: a
/// Hugging Face repository id and a GPU name. A case names any model and any GPU; these map the
/// ones Loom knows and say what they assumed, and refuse the rest with the reason.
extension RunMapping {
    /// The preset for a Hugging Face id, by the repository name the families publish under
    /// (`meta-llama/Llama-2-7b-chat-hf` -> `llama-2-7b`, `Qwen/Qwen2.5-7B-Instruct` ->
    /// `qwen2.5-7b`): the organisation, the instruction/chat suffixes and the `-hf` mark are
    /// dropped, and Llama 3 and 3.3 take the Llama 3.1 preset of their size (the same layers,
    /// widths and vocabulary; only the RoPE scaling and the context differ, which a fine-tuning
    /// run at a stated sequence does not use). nil: no preset of that name.
    static func presetName(forHuggingFace id: String) -> String? {
        if let exact = finetuneModels[id] { return exact }
        let repository = (id.split(separator: "/").last.map(String.init) ?? id).lowercased()
        // A preset's own name or alias (`t0_3b`, `mt0-xxl`, `bert-base-uncased`).
        if !repository.isEmpty, let entry = ModelCatalog.entry(named: repository) { return entry.name }
        var name = repository
        // Mistral's and Mixtral's version marks (-v0.1 ... -v0.3) name the same shape.
        if name.hasPrefix("mistral") || name.hasPrefix("mixtral"), let range = name.range(of: "-v0.", options: .backwards) {
            name = String(name[..<range.lowerBound])
        }
        // Instruction/chat marks and `-hf`, in any order (`-chat-hf`, `-instruct`).
        while let suffix = ["-hf", "-chat", "-instruct", "-it", "-base"].first(where: name.hasSuffix) {
            name.removeLast(suffix.count)
        }
        name = name.replacingOccurrences(of: "_", with: "-")
        // DeepSeek's R1 distillations are fine-tunes of Qwen2.5 (Math) and Llama 3.1 / 3.3 models
        // (DeepSeek-AI 2025, DeepSeek-R1, section 2.4): `deepseek-r1-distill-qwen-7b` is the
        // Qwen2.5 7B shape, `...-llama-8b` Llama 3.1 8B's; never DeepSeek-V3's.
        if let range = name.range(of: "distill-") {
            let base = String(name[range.upperBound...])
            name = base.hasPrefix("qwen-") ? "qwen2.5-" + base.dropFirst(5)
                : base.hasPrefix("llama-") ? "llama-3.1-" + base.dropFirst(6) : base
        }
        let renames: [(String, String)] = [
            ("meta-llama-3.1-", "llama-3.1-"), ("meta-llama-3-", "llama-3.1-"), ("llama-3-", "llama-3.1-"),
            ("llama-3.3-", "llama-3.1-"), ("meta-llama-", "llama-"), ("llama2-", "llama-2-"),
            ("bloomz-", "bloom-"), ("mt0-", "mt5-"), ("google-t5-", ""),
            // Flan-T5 is T5 v1.1 fine-tuned (Chung et al. 2022): the v1.1 shape of its size.
            ("flan-t5-", "t5-v1_1-"),
            // Shapes published again under another name: Qwen2's sizes are Qwen2.5's (the same
            // widths, layers and vocabulary), the Coder and Math models are Qwen2.5's of their
            // size, Phi-3.5 mini is Phi-3 mini's, LLaMA's 7B and 13B are Llama 2's; Code Llama 7B and
            // 13B are Llama 2's with 16 more vocabulary entries (Roziere et al. 2023: 32,016), and
            // Vicuna v1.5 is Llama 2 fine-tuned (LMSYS model card).
            ("qwen2-", "qwen2.5-"), ("qwen2.5-coder-", "qwen2.5-"), ("qwen2.5-math-", "qwen2.5-"),
            ("phi-3.5-mini", "phi-3-mini"), ("llama-7b", "llama-2-7b"), ("llama-13b", "llama-2-13b"),
            ("codellama-7b", "llama-2-7b"), ("codellama-13b", "llama-2-13b"), ("vicuna-", "llama-2-"),
        ]
        for (from, to) in renames where name.hasPrefix(from) {
            name = to + name.dropFirst(from.count)
            break
        }
        name = name.replacingOccurrences(of: "-uncased", with: "").replacingOccurrences(of: "-cased", with: "")
        // A variant's trailing marks (`tinyllama-1.1b-chat-v1.0`, `qwen2.5-7b-math`) name the
        // shape it was fine-tuned from: the longest leading part that is a preset, of at least two
        // parts.
        var parts = name.split(separator: "-").map(String.init)
        let all = parts
        while parts.count >= 2 {
            if let entry = ModelCatalog.entry(named: parts.joined(separator: "-")) { return entry.name }
            parts.removeLast()
        }
        // A community fine-tune that names its base inside its own name
        // (`openhermes-2.5-mistral-7b`, `nous-hermes-2-mixtral-8x7b-dpo`): the longest run of whole
        // parts, of at least two, that is a preset (the stated size still has to agree,
        // `matchesStatedSize`).
        var best: (name: String, parts: Int)?
        for start in all.indices {
            for end in stride(from: all.count, to: start + 1, by: -1) where end - start > (best?.parts ?? 1) {
                if let entry = ModelCatalog.entry(named: all[start..<end].joined(separator: "-")) {
                    best = (entry.name, end - start)
                    break
                }
            }
        }
        return best?.name
    }

    /// Whether a preset found by name has about the parameter count the case states (within a
    /// factor of 1.5 either way, as sources round "8B" or count with or without embeddings), so a
    /// name that happens to start like a preset's never swaps in another model. True when the case
    /// states no usable count.
    static func matchesStatedSize(_ preset: TransformerModel, params: Double) -> Bool {
        guard params.isFinite, params >= 1e6 else { return true }
        let ratio = Double(preset.parameterCount.total) / params
        return ratio >= 1 / 1.5 && ratio <= 1.5
    }

    /// Why a case's model cannot be built, one line.
    struct UnknownModel: Error { let reason: String }

    /// The model a case names: its preset, else (when the case states a parameter count) the Llama
    /// 3-shaped model of that size `loom size` builds (`SizedModel`), listed as assumed.

    static func finetuneModel(_ model: FinetuneRun.Model) -> Result<(TransformerModel, String?), UnknownModel> {
        if let name = presetName(forHuggingFace: model.hf), let preset = try? ModelCatalog.preset(named: name),
           matchesStatedSize(preset, params: model.params) {
            return .success((preset, name == finetuneModels[model.hf] ? nil : "model preset \(name) for \(model.hf)"))
        }
        guard model.params.isFinite, model.params >= 1e6, model.params <= 1e13 else {
            return .failure(UnknownModel(reason: "model '\(model.hf)' has no preset and its params \(model.params) is not "
                                         + "a parameter count between 1e6 and 1e13"))
        }
        // The stated depth and width when the case gives them (within the model limits), else the
        // shape `loom size` picks for the count.
        let stated = model.layers.flatMap { layers in
            model.hidden.flatMap { hidden in
                layers <= TransformerModel.Limits.layers && hidden <= TransformerModel.Limits.hidden
                    ? SizedModel.llamaShaped(parameters: model.params, layers: layers, hidden: hidden) : nil
            }
        }
        let sized = stated ?? SizedModel.llamaShaped(parameters: model.params)
        let shape = stated == nil ? "" : " as stated, MLP \(sized.ffn), vocabulary \(sized.vocab)"
        let note = "U: no preset for \(model.hf); a Llama 3-shaped model of \(formatCount(Double(sized.totalParameters))) "
            + "parameters (\(sized.layers) layers of \(sized.hidden)\(shape)) for its \(formatCount(model.params))"
        return .success((sized, note))
    }

    /// The topology for a source's GPU name and count: the workstation and cloud parts by name,
    /// A100 and H100 by form factor (PCIe when the source says so, or for one unstated A100, as
    /// PEFT's single-GPU table; the 8-GPU SXM server otherwise), the export parts A800 (any form
    /// factor) and H20 (the whole word, not the H200) as their 8-GPU servers, and the data-centre
    /// systems.
    static func finetuneCluster(gpu: String, gpus: Int) -> (name: String, assumed: String?)? {
        let text = gpu.lowercased()
        func has(_ word: String) -> Bool { text.contains(word) }
        func word(_ pattern: String) -> Bool {
            text.range(of: #"(^|[^a-z0-9])"# + pattern + #"([^0-9a-z]|$)"#, options: .regularExpression) != nil
        }
        // Parts a name says outright, in order (the 5090 before "6000"s, the PRO 6000 and 6000 Ada
        // before the A6000, L40S before L40, the 4070 Ti before the 4070): words, whether they must
        // stand alone, preset. A variant without a preset of its own (3080 Ti, 3070 Ti, 4080 SUPER)
        // takes its base part's; the 4060 Ti has its own, so the 4060 Ti comes before the 4060.
        let workstation: [([String], Bool, String)] = [
            (["5090"], false, "rtx-5090"), (["4090"], false, "rtx-4090"), (["3090"], false, "rtx-3090"),
            (["4080"], false, "rtx-4080"), (["4070 ti", "4070ti"], false, "rtx-4070-ti"), (["4070"], false, "rtx-4070"),
            (["4060 ti", "4060ti"], false, "rtx-4060-ti"), (["4060"], false, "rtx-4060"), (["3080"], false, "rtx-3080"),
            (["3070"], false, "rtx-3070"), (["3060"], false, "rtx-3060"),
            (["2080 ti", "2080ti"], false, "rtx-2080-ti"), (["a4000"], false, "rtx-a4000"), (["p100"], false, "p100"),
            (["pro 6000", "pro6000"], false, "rtx-pro-6000"), (["6000 ada"], false, "rtx-6000-ada"),
            (["a6000"], false, "rtx-a6000"), (["a5000"], false, "rtx-a5000"), (["l40s"], false, "l40s"),
            (["l40"], true, "l40"), (["a40"], true, "a40"),
        ]
        for (words, alone, preset) in workstation where words.contains(where: { alone ? word($0) : has($0) }) {
            return (preset, nil)
        }
        if has("a10g") || has("a10 ") || text.hasSuffix("a10") { return ("a10g", has("a10g") ? nil : "A10G for the A10 (same GA102 board)") }
        if word("l4") { return ("l4", nil) }
        if word("t4") { return ("t4", nil) }
        if has("v100") { return has("32") ? ("v100-32gb", nil) : ("v100-16gb", has("16") ? nil : "V100 16GB (memory unstated)") }
        let forty = has("40") && !has("80")
        if has("a100") {
            // SXM4 unless the name says PCIe, one GPU or eight, as for the H100: the HGX boards'
            // part, which cloud instances of one to eight A100s slice (U for any one source).
            if has("pcie") { return (forty ? "a100-40gb-pcie" : "a100-80gb-pcie", nil) }
            return (forty ? "dgx-a100-40gb" : "dgx-a100-80gb",
                    has("sxm") ? nil : "\(gpus)x A100 \(forty ? 40 : 80)GB SXM (DGX A100; form factor unstated)")
        }
        if has("h100") {
            if has("pcie") || has("nvl") { return ("h100-pcie", has("nvl") ? "H100 PCIe for the H100 NVL" : nil) }
            return ("dgx-h100", has("sxm") ? nil : "H100 SXM (DGX H100; form factor unstated)")
        }
        // The export parts, as their 8-GPU servers: the A800 (A100 compute, NVLink 400 GB/s) in any
        // form (the PCIe and 40GB boards have no preset of their own), the H20 (Hopper at 148
        // TFLOP/s) as a whole word so that "H200" stays the H200's.
        if has("a800") {
            let forty = (has("40g") || has("40 g")) && !(has("80g") || has("80 g"))   // "a800" holds an "80"
            let other: String? = has("pcie") ? "PCIe" : forty ? "40GB" : nil
            return ("a800-80gb", other.map { "A800 SXM4 80GB (8-GPU server) for the A800 \($0)" })
        }
        if word("h20") { return ("h20", nil) }
        // The data-centre systems and TPU generations, by the words they are sold under (GB200
        // before B200, GB300 before B300).
        let systems: [([String], String)] = [
            (["h200"], "dgx-h200"), (["h800"], "dgx-h800"), (["gb200"], "gb200-nvl72"), (["gb300"], "gb300-nvl72"),
            (["b200"], "dgx-b200"), (["b300"], "dgx-b300"), (["mi300x"], "mi300x"), (["mi325x"], "mi325x"),
            (["v5p"], "tpu-v5p"), (["v5e", "v5 lite", "v5lite"], "tpu-v5e"), (["v6e", "trillium"], "tpu-v6e"),
            (["v7x", "tpu7x", "tpu v7", "ironwood"], "tpu-v7x"),
        ]
        for (words, preset) in systems where words.contains(where: has) { return (preset, nil) }
        if has("tpu") && has("v4") { return ("tpu-v4", nil) }
        return nil
    }

    /// The method a case names, with what is assumed for the adapters Loom does not model apart:
    /// the LoRA variants (DoRA's magnitude vector, AdaLoRA's rank budget, LoHa, LoKr, VeRA) as
    /// LoRA of the case's rank, QDoRA as QLoRA; a prompt, prefix or IA3 adapter, whose few trained
    /// values leave the memory and time of a frozen base that back-propagates to its input, as a
    /// rank-1 LoRA on the value projection. nil: none of these.
    static func finetuneMethod(_ text: String) -> (method: FinetuneMethod, note: String?, tinyAdapter: Bool)? {
        let whole = text.lowercased().replacingOccurrences(of: "_", with: "-")
            .trimmingCharacters(in: .whitespaces)
        // The method's own word leads ("QLoRA (4-bit)", "LoRA fine-tuning", "full fine-tune").
        let word = String(whole.prefix { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "+" })
        if word != whole, !word.isEmpty, let method = finetuneMethod(word) { return method }
        if let method = FinetuneMethod(rawValue: word) { return (method, nil, false) }
        if ["dora", "adalora", "loha", "lokr", "vera", "lora+", "rslora", "pissa"].contains(word) {
            return (.lora, "\(word) as LoRA of its rank (U: the variant's extra state not counted)", false)
        }
        if word == "qdora" { return (.qlora, "qdora as QLoRA of its rank (U: DoRA's magnitude not counted)", false) }
        if word.contains("prompt") || word.contains("prefix") || word.hasPrefix("p-tuning") || word == "ptuning"
            || word == "ia3" {
            return (.lora, "\(word) as a rank-1 LoRA on v (U: a frozen base with a few trained values)", true)
        }
        if word == "full-finetune" || word == "full-fine-tuning" || word == "sft" || word == "fft" { return (.full, nil, false) }
        return nil
    }

    /// 8.03e9 as "8.03B", 560e6 as "560M".
    static func formatCount(_ value: Double) -> String {
        value >= 1e9 ? String(format: "%.3gB", value / 1e9) : String(format: "%.3gM", value / 1e6)
    }
}

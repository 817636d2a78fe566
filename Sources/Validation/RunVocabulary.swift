import CostModel
import Workloads

/// The words runs files use for a framework, a precision, an MLP and a recomputation, read the
/// way their sources print them: any case, `-` or `_`, and the names the frameworks' own configs
/// use (`bf16-mixed` is Lightning's and NeMo's `precision`, `fp8-hybrid` Transformer Engine's
/// recipe, `silu` Hugging Face's `hidden_act` for a SwiGLU MLP, `uniform`/`block` Megatron's
/// `recompute_method` under full recomputation). nil: a word none of them means.
enum RunVocabulary {
    /// Lower case, `_` as `-`, spaces trimmed.
    static func key(_ word: String) -> String {
        word.lowercased().replacingOccurrences(of: "_", with: "-").trimmingCharacters(in: .whitespaces)
    }

    static func framework(_ word: String) -> Framework? {
        let word = key(word)
        return Framework(rawValue: word) ?? frameworkAliases[word]
    }

    static func precision(_ word: String) -> Precision? {
        var word = key(word)
        for suffix in ["-mixed", "-amp", "-true"] where word.hasSuffix(suffix) { word.removeLast(suffix.count) }
        return Precision(rawValue: word) ?? precisionAliases[word]
    }

    static func mlp(_ word: String) -> MLPKind? {
        let word = key(word)
        return MLPKind(rawValue: word.replacingOccurrences(of: "-", with: "_")) ?? mlpAliases[word]
    }

    static func recompute(_ word: String) -> Recompute? {
        let word = key(word)
        return Recompute(rawValue: word) ?? recomputeAliases[word]
    }

    // The tables, built once, keyed by `key(_:)` of the word.
    static let frameworkAliases: [String: Framework] = [
        "megatron": .megatronCore, "mcore": .megatronCore, "megatron-core-lm": .megatronCore,
        "nemo2": .nemo, "nemo-2": .nemo, "nemo-2.0": .nemo, "megatron-bridge": .nemo, "nemo-megatron": .nemo,
        "deepspeed-megatron": .megatronDeepSpeed, "megatron-ds": .megatronDeepSpeed,
        "pytorch-fsdp": .fsdp, "fsdp2": .fsdp, "composer": .fsdp, "llm-foundry": .fsdp, "torchtune": .fsdp,
        "litgpt": .fsdp, "lit-gpt": .fsdp, "accelerate": .fsdp, "hf": .fsdp, "transformers": .fsdp,
        "deepspeed-zero": .deepspeed, "zero": .deepspeed,
    ]
    /// After the `-mixed` / `-amp` / `-true` suffix is dropped (`bf16-mixed`, `16-mixed`).
    static let precisionAliases: [String: Precision] = [
        "bfloat16": .bf16, "bf-16": .bf16, "16": .fp16, "float16": .fp16, "half": .fp16,
        "float32": .fp32, "32": .fp32, "tf32": .fp32, "fp8-hybrid": .fp8, "fp8-e4m3": .fp8, "fp8-cs": .fp8,
        "fp8-delayed": .fp8, "fp8-current": .fp8, "float8": .fp8, "mx-fp8": .mxfp8, "fp4": .nvfp4, "nv-fp4": .nvfp4,
    ]
    static let mlpAliases: [String: MLPKind] = [
        // NeMo's `relu2` is Nemotron's squared ReLU (So et al. 2021).
        "relu2": .squaredRelu, "relu-squared": .squaredRelu, "squared-relu": .squaredRelu,
        "silu": .swiglu, "swish": .swiglu, "gated-silu": .swiglu, "silu-glu": .swiglu,
        "gelu-new": .gelu, "gelu-tanh": .gelu, "gelu-pytorch-tanh": .gelu, "gelu-fast": .gelu,
        "gated-gelu": .geglu, "gelu-glu": .geglu,
    ]
    static let recomputeAliases: [String: Recompute] = [
        "no": .none, "off": .none, "false": .none, "null": .none, "uniform": .full, "block": .full, "true": .full,
        "full-recompute": .full, "selective-recompute": .selective, "op": .selective, "selective-op": .selective,
    ]
}

import Workloads

/// Facts a launch configuration needs that `TransformerModel` does not carry (they change no
/// cost): rotary base, RMSNorm epsilon, Llama 3.1's RoPE scaling and Qwen3's QK-norm, read from
/// each family's Hugging Face `config.json` (`rope_theta`, `rms_norm_eps`, `rope_scaling`).
/// Keyed by the preset name's prefix; an unknown model gets the original RoPE paper's base.
public enum ModelFamilyFacts {
    /// (name prefix, rope_theta, norm epsilon), first match wins.
    static let families: [(prefix: String, ropeBase: String, epsilon: String)] = [
        ("llama-3", "500000", "1e-5"),     // meta-llama/Llama-3.1-*: rope_theta 500000, rms_norm_eps 1e-5
        ("llama-2", "10000", "1e-5"),      // meta-llama/Llama-2-*-hf: 10000, 1e-5
        ("mistral", "10000", "1e-5"),      // mistralai/Mistral-7B-v0.1: 10000, 1e-5
        ("mixtral", "1000000", "1e-5"),    // mistralai/Mixtral-8x7B-v0.1: 1e6, 1e-5
        ("qwen2.5", "1000000", "1e-6"),    // Qwen/Qwen2.5-7B: 1e6, 1e-6
        ("qwen3", "1000000", "1e-6"),      // Qwen/Qwen3-30B-A3B: 1e6, 1e-6
    ]

    static func family(_ model: TransformerModel) -> (prefix: String, ropeBase: String, epsilon: String)? {
        families.first { model.name.lowercased().hasPrefix($0.prefix) }
    }

    /// RoPE base; 10000 (Su et al. 2021, RoFormer) when the family is unknown.
    public static func ropeBase(_ model: TransformerModel) -> String { family(model)?.ropeBase ?? "10000" }

    /// Norm epsilon; 1e-5 (PyTorch's LayerNorm default) when the family is unknown.
    public static func normEpsilon(_ model: TransformerModel) -> String { family(model)?.epsilon ?? "1e-5" }

    /// Llama 3.1's `rope_scaling` ("llama3", factor 8), Megatron's `--use-rope-scaling`.
    static func llama3RopeScaling(_ model: TransformerModel) -> Bool { model.name.lowercased().hasPrefix("llama-3.1") }

    /// Qwen3 normalises queries and keys per head (`q_norm`, `k_norm` in its modelling code).
    static func qkNorm(_ model: TransformerModel) -> Bool { model.name.lowercased().hasPrefix("qwen3") }

    /// The torchtitan 0.3.0 `--module`/`--config` registry entry with this model's exact shape,
    /// or nil: torchtitan takes its architectures from the registry (no per-field dims).
    static func torchtitanRegistry(_ model: TransformerModel) -> (module: String, config: String)? {
        switch model.name.lowercased() {
        case "llama-3.1-8b": return ("llama3", "llama3_8b")
        case "llama-3.1-70b": return ("llama3", "llama3_70b")
        case "qwen3-30b-a3b": return ("qwen3", "qwen3_30b_a3b")
        default: return nil
        }
    }

    /// Major CUDA compute capability of an accelerator, from its name (NVIDIA's CUDA GPUs
    /// table: V100 7.0, T4 7.5, A100 8.0, L40S 8.9, H100/H200 9.0, B200/GB200 10.0); 0 for non-CUDA
    /// accelerators (TPU, MI300X).
    static func cudaArchMajor(_ acceleratorName: String) -> Int {
        let name = acceleratorName.uppercased()
        if name.contains("B200") || name.contains("B300") { return 10 }
        if name.contains("H100") || name.contains("H200") || name.contains("H800") || name.contains("GH200") { return 9 }
        // Ampere (A100 8.0, A10/A40/RTX 3090/A6000 8.6) and Ada (L4/L40S/RTX 4090 8.9).
        for ampereOrAda in ["A100", "A800", "A10", "A40", "A6000", "3090", "L4", "4090", "4080"] where name.contains(ampereOrAda) {
            return 8
        }
        if name.contains("V100") || name.contains("T4") { return 7 }
        return 0
    }
}

import Foundation

/// How much of the model a job trains (`--finetune`), and the low-rank adapters of LoRA/QLoRA.
///
/// - `full`: every parameter is trained.
/// - `freeze`: the embedding class (token and position tables, output layer) is frozen and the
///   transformer layers are trained (the classic "freeze the embeddings" fine-tune; the
///   `ParameterAccounting` `frozen:` hook).
/// - `lora`: every base parameter is frozen at its dtype; each targeted linear layer `W` (`in x out`)
///   gains trainable `A` (`in x r`) and `B` (`r x out`), output `x W + (alpha / r) x A B`
///   (Hu et al. 2021, section 4.1).
/// - `qlora`: LoRA over a base whose linear-layer weights are stored in 4-bit NormalFloat with
///   block-wise absmax constants, double-quantised (Dettmers et al. 2023, section 3; `NF4Storage`),
///   dequantised to 16 bits on the fly for every forward and backward GEMM.
public enum FinetuneMethod: String, Sendable, Hashable, Codable, CaseIterable {
    case full
    case lora
    case qlora
    case freeze

    /// Whether the method trains low-rank adapters beside a frozen base.
    public var usesAdapters: Bool { self == .lora || self == .qlora }
}

/// The linear layers of a transformer layer that LoRA can target, by their Hugging Face /
/// PEFT module names (Llama's `q_proj` ... `down_proj`; `gate` exists only in gated MLPs).
public enum LoRATarget: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case q, k, v, o, gate, up, down

    public static func < (lhs: LoRATarget, rhs: LoRATarget) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }

    /// PEFT `target_modules` name in Llama-style models.
    public var moduleName: String {
        switch self {
        case .q: return "q_proj"
        case .k: return "k_proj"
        case .v: return "v_proj"
        case .o: return "o_proj"
        case .gate: return "gate_proj"
        case .up: return "up_proj"
        case .down: return "down_proj"
        }
    }

    /// The attention projections (`--lora-targets attention`).
    public static let attention: [LoRATarget] = [.q, .k, .v, .o]
    /// Every linear layer of a block (`--lora-targets all-linear`; PEFT `"all-linear"` minus the
    /// output layer); `gate` is dropped for models without a gated MLP.
    public static let allLinear: [LoRATarget] = allCases

    /// Parses `attention`, `all-linear` or a comma-separated list (`q,v` or `q_proj,v_proj`);
    /// nil for a name it does not know.
    public static func parse(_ text: String) -> [LoRATarget]? {
        switch text.lowercased() {
        case "attention": return attention
        case "all-linear", "all_linear", "all": return allLinear
        default:
            var out: [LoRATarget] = []
            for part in text.lowercased().split(separator: ",") {
                let name = part.trimmingCharacters(in: .whitespaces)
                let bare = name.hasSuffix("_proj") ? String(name.dropLast(5)) : name
                let aliases = ["output": "o", "out": "o", "w1": "gate", "w3": "up", "w2": "down", "fc1": "up", "fc2": "down"]
                guard let target = LoRATarget(rawValue: aliases[bare] ?? bare) else { return nil }
                if !out.contains(target) { out.append(target) }
            }
            return out.isEmpty ? nil : out.sorted()
        }
    }
}

/// The training method of a recipe: the method, and for LoRA/QLoRA the adapters' rank, scaling
/// alpha and target layers. Defaults are PEFT's `LoraConfig` (r = 8, lora_alpha = 8) on the
/// attention projections.
public struct FineTuning: Sendable, Hashable, Codable {
    public var method: FinetuneMethod
    public var rank: Int
    public var alpha: Double
    public var targets: [LoRATarget]
    /// The adapters' input dropout probability (PEFT's `lora_dropout`, default 0: `nn.Identity`);
    /// above 0 each adapter keeps its own dropped copy of its input and the mask
    /// (`FineTuneMemory.dropoutBytesPerToken`). nil = none.
    public var dropout: Double?

    public init(method: FinetuneMethod = .full, rank: Int = 8, alpha: Double? = nil,
                targets: [LoRATarget] = LoRATarget.attention, dropout: Double? = nil) {
        self.method = method
        self.rank = rank
        self.alpha = alpha ?? Double(rank)
        self.targets = targets
        self.dropout = dropout
    }

    /// Whether the adapters drop out their inputs.
    public var dropsOutInputs: Bool { (dropout ?? 0) > 0 }

    public static let full = FineTuning()
}

/// CPU offload (`--offload`).
/// - `optimizer`: ZeRO-Offload (Ren et al. 2021, section 4): the fp32 master weights, the
///   optimizer states and the gradients live in host memory; the GPU keeps the 16-bit weights,
///   sends each gradient over PCIe and receives the updated 16-bit weights; the step runs on
///   the CPU.
/// - `all`: ZeRO-3 offload / ZeRO-Infinity to CPU (Rajbhandari et al. 2021) and FSDP's
///   `CPUOffload(offload_params=True)`: the 16-bit weights live in host memory too and are
///   copied to the GPU for every forward and backward pass.
public enum OffloadKind: String, Sendable, Hashable, Codable, CaseIterable {
    case none
    case optimizer
    case all
}

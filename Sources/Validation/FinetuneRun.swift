import Foundation
/// One published fine-tuning measurement, as in `Validation/finetune-runs.json` (torchtune's
/// Llama 3.1 table, Hugging Face PEFT's T0-3B / mT0-XXL / BLOOMZ-7B1 table). Value types only:
/// nil = the source does not state it (the file's `null`); evaluation comes with fine-tuning.
public struct FinetuneRun: Sendable, Hashable, Codable {
    public struct Model: Sendable, Hashable, Codable {
        /// Hugging Face repository id (`meta-llama/Llama-3.1-8B`).
        public var hf: String
        /// Parameter count as the source states it (rounded: "8B").
        public var params: Double
        public var paramsNote: String?
        public var layers: Int?
        public var hidden: Int?
    }

    public struct LoRA: Sendable, Hashable, Codable {
        public var rank: Int?
        public var alpha: Int?
        public var dropout: Double?
        public var targetModules: [String]?
        /// How the rank was established (`"U (...)"`: assumed from the recipe, not the table).
        public var rankVerified: String?
    }

    /// A peak-memory cell: a number, or the source's out-of-memory mark ("OOM (>80)").
    public enum Memory: Sendable, Hashable, Codable {
        case amount(Double)
        case outOfMemory(String)

        public init(from decoder: Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let value = try? container.decode(Double.self) {
                self = .amount(value)
                return
            }
            let text = try container.decode(String.self)
            guard text.hasPrefix("OOM") else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "'\(text)' is neither a number nor OOM")
            }
            self = .outOfMemory(text)
        }

        public func encode(to encoder: Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case let .amount(value): try container.encode(value)
            case let .outOfMemory(text): try container.encode(text)
            }
        }
    }

    public struct Reported: Sendable, Hashable, Codable {
        public var peakGpuMemoryGb: Memory?
        /// The unit the source printed ("GiB", "GiB per GPU", "GB per GPU"); nil: the PEFT table's GB.
        public var unit: String?
        public var cpuMemoryGb: Double?
        public var tokensPerS: Double?
        public var tokensPerSScope: String?
        /// Per-GPU throughput (`tokens_per_s_per_gpu`, torchtune's `tokens_per_second_per_gpu`),
        /// read where `tokens_per_s` is not given: times the GPUs.
        public var tokensPerSPerGpu: Double?
        /// Samples (sequences) a second (`samples_per_s`, the Trainer's `train_samples_per_second`),
        /// read where no token rate is given: times the case's sequence length.
        public var samplesPerS: Double?

        /// Bytes per unit of `peakGpuMemoryGb`: GiB where the source printed GiB, else GB.
        public var bytesPerUnit: Double {
            unit?.contains("GiB") == true ? 1_073_741_824 : 1e9
        }
    }

    public var id: String
    public var source: String
    public var model: Model
    /// `full`, `lora`, `qlora`.
    public var method: String
    public var lora: LoRA?
    /// The offload the source describes, in its words.
    public var offload: String?
    /// Precision and optimizer in the source's words.
    public var precision: String?
    public var optimizer: String?
    public var batch: Int?
    public var seq: Int?
    public var packed: Bool?
    public var torchCompile: Bool?
    public var gradientCheckpointing: Bool?
    /// The loss in the source's words (torchtune's `loss: CEWithChunkedOutputLoss`, "cut
    /// cross-entropy", `torch.nn.CrossEntropyLoss`); nil = the recipe's.
    public var loss: String?
    /// torchtune's `optimizer_in_bwd`: each parameter's step applied in the backward, its gradient
    /// freed at once.
    public var optimizerInBwd: Bool?
    /// torchtune's `enable_activation_offloading`: saved activations (the checkpointed inputs
    /// under activation checkpointing) offloaded to host memory.
    public var activationOffloading: Bool?
    /// The peak is the first iteration's, which runs the longest training sample (lit-gpt
    /// 2023's `get_batch(..., longest_seq_ix if iter_num == 0 else None)`, to meet an
    /// out-of-memory error at once): no earlier micro-batch's graph is held then, and `seq` is
    /// that sample's length.
    public var longestSampleFirst: Bool?
    /// The GPU in the source's words ("RTX 4090 24GB", "A100 80GB").
    public var gpu: String
    public var gpus: Int
    public var reported: Reported
    /// "V1", or which parts are verified and which assumed.
    public var verified: String
    public var notes: String?
}

extension RunsFileReader {
    /// Decodes `Validation/finetune-runs.json`: an object whose `cases` array holds the runs.
    public static func loadFinetuneRuns(path: String) throws -> [FinetuneRun] {
        try loadFinetuneRuns(data: read(path), path: path)
    }

    /// `loadFinetuneRuns(path:)` on a file's bytes; `path` names it in errors.
    public static func loadFinetuneRuns(data: Data, path: String) throws -> [FinetuneRun] {
        try decodeArray(of: FinetuneRun.self, from: data, path: path, keyPath: ["cases"])
    }
}

// Decoding in the sources' own shapes (`FinetuneRunDecoding`): here, beside the types, where
// their synthesized coding keys are visible.
extension FinetuneRun.Model {
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        hf = try c.decode(String.self, forKey: .hf)
        params = c.looseDouble(.params) ?? 0
        paramsNote = c.looseString(.paramsNote)
        layers = c.looseInt(.layers)
        hidden = c.looseInt(.hidden)
    }
}

extension FinetuneRun.LoRA {
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        rank = c.looseInt(.rank)
        // A whole alpha; one beyond any Int (1e300) is unreadable, left unset.
        alpha = c.looseDouble(.alpha).flatMap { abs($0) < 1e15 ? Int($0.rounded()) : nil }
        dropout = c.looseDouble(.dropout)
        targetModules = c.looseStrings(.targetModules)
        rankVerified = c.looseString(.rankVerified)
    }
}

extension FinetuneRun.Reported {
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        if let memory = try? c.decodeIfPresent(FinetuneRun.Memory.self, forKey: .peakGpuMemoryGb) {
            peakGpuMemoryGb = memory
        } else {
            peakGpuMemoryGb = c.looseString(.peakGpuMemoryGb).flatMap(LooseNumber.parse).map(FinetuneRun.Memory.amount)
        }
        unit = c.looseString(.unit)
        cpuMemoryGb = c.looseDouble(.cpuMemoryGb)
        tokensPerS = c.looseDouble(.tokensPerS)
        tokensPerSScope = c.looseString(.tokensPerSScope)
        tokensPerSPerGpu = c.looseDouble(.tokensPerSPerGpu)
        samplesPerS = c.looseDouble(.samplesPerS)
    }
}

extension FinetuneRun {
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        source = c.looseString(.source) ?? ""
        model = try c.decode(Model.self, forKey: .model)
        method = c.looseString(.method) ?? "full"
        lora = try? c.decodeIfPresent(LoRA.self, forKey: .lora)
        offload = c.looseString(.offload)
        precision = c.looseString(.precision)
        optimizer = c.looseString(.optimizer)
        batch = c.looseInt(.batch)
        seq = c.looseInt(.seq)
        packed = c.looseBool(.packed)
        torchCompile = c.looseBool(.torchCompile)
        gradientCheckpointing = c.looseBool(.gradientCheckpointing)
        loss = c.looseString(.loss)
        optimizerInBwd = c.looseBool(.optimizerInBwd)
        activationOffloading = c.looseBool(.activationOffloading)
        longestSampleFirst = c.looseBool(.longestSampleFirst)
        gpu = try c.decode(String.self, forKey: .gpu)
        // Unstated, the count a GPU name leads with ("2x RTX 3090", "8 x A100"), else one.
        gpus = c.looseInt(.gpus) ?? Self.leadingCount(gpu) ?? 1
        reported = (try? c.decodeIfPresent(Reported.self, forKey: .reported))
            ?? Reported(peakGpuMemoryGb: nil, unit: nil, cpuMemoryGb: nil, tokensPerS: nil, tokensPerSScope: nil,
                        tokensPerSPerGpu: nil, samplesPerS: nil)
        verified = c.looseString(.verified) ?? ""
        notes = c.looseString(.notes)
    }

    /// The GPU count a name leads with: "2x RTX 3090" and "8 x A100" give 2 and 8; nil otherwise.
    static func leadingCount(_ gpu: String) -> Int? {
        let text = gpu.trimmingCharacters(in: .whitespaces).lowercased()
        let digits = text.prefix { $0.isNumber }
        guard !digits.isEmpty, digits.count <= 6,
              text.dropFirst(digits.count).trimmingCharacters(in: .whitespaces).hasPrefix("x") else { return nil }
        return Int(digits).flatMap { $0 > 0 ? $0 : nil }
    }
}

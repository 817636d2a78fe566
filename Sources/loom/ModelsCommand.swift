import ArgumentParser
import Foundation
import Workloads

/// `loom models`: lists the model presets that `--model NAME` accepts, with their exact parameter
/// counts and shapes. The data come from `ModelCatalog` (Workloads); nothing is modelled here.
struct ModelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models",
        abstract: "List the model presets that --model accepts.",
        discussion: """
            PARAMS is the exact total (as Hugging Face num_parameters() counts it, tied weights \
            once); ACTIVE the parameters one token uses (shared and top-k routed experts for MoE, \
            equal to PARAMS for dense models). Any command's --model also takes a Hugging Face \
            config.json (or the folder holding it) or a Loom YAML/JSON model file \
            (Sources/Workloads/README.md).

            Examples:
              loom models
              loom models --format json
              loom describe --model llama-3.1-70b          (a name from this list)
              loom describe --model ./Llama-3.1-8B/config.json
            """
    )

    @OptionGroup var output: FormatOption

    func run() throws {
        let rows = ModelCatalog.presets.map(ModelSummary.init)
        switch output.format {
        case .json:
            try JSONOutput.print(ModelList(models: rows))
        case .table:
            var table = TextTable(["NAME", "FAMILY", "PARAMS", "ACTIVE", "LAYERS", "HIDDEN", "HEADS", "KV HEADS",
                                   "FFN", "VOCAB"],
                                  alignments: [.left, .left, .right, .right, .right, .right, .right, .right, .right,
                                               .right])
            for row in rows {
                let shape = row.shape
                let ffn = row.listing.moe.value.map { "\($0.experts)x\($0.expertFfn)" } ?? String(shape.ffn)
                table.add([shape.name, row.listing.family, CountFormat.short(shape.parameters),
                           CountFormat.short(shape.activeParameters), String(shape.layers), String(shape.hidden),
                           String(shape.heads), String(shape.kvHeads), ffn, String(shape.vocab)])
            }
            print(table.render())
            print("\n\(rows.count) models; FFN of an MoE model: routed experts x expert width")
        }
    }
}

/// The fields `loom models` and `loom describe` share (JSON keys: snake_case of the names).
struct ModelShape: Encodable {
    var name: String
    var parameters: Int
    var activeParameters: Int
    var layers: Int
    var hidden: Int
    var heads: Int
    var kvHeads: Int
    var headDim: Int
    var ffn: Int
    var vocab: Int
    var maxSeq: Int
    var mlp: String

    init(_ model: TransformerModel) {
        let count = model.parameterCount
        name = model.name
        parameters = count.total
        activeParameters = count.active
        layers = model.layers
        hidden = model.hidden
        heads = model.heads
        kvHeads = model.kvHeads
        headDim = model.headDim
        ffn = model.ffn
        vocab = model.vocab
        maxSeq = model.maxSeq
        mlp = model.mlp.rawValue
    }
}

/// An optional that encodes as JSON null rather than being left out.
struct Nullable<Value: Encodable>: Encodable {
    var value: Value?

    init(_ value: Value?) { self.value = value }

    func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        if let value { try container.encode(value) } else { try container.encodeNil() }
    }
}

/// One row of `loom models`: the shape plus where the preset comes from, in one flat object.
struct ModelSummary: Encodable {
    struct Listing: Encodable {
        var family: String
        var aliases: [String]
        var source: String
        /// Routed experts, experts per token, expert width, shared experts; null for dense models.
        var moe: Nullable<Experts>
    }

    struct Experts: Encodable {
        var experts: Int
        var expertsPerToken: Int
        var expertFfn: Int
        var sharedExperts: Int
    }

    var shape: ModelShape
    var listing: Listing

    init(_ preset: ModelPreset) {
        shape = ModelShape(preset.model)
        listing = Listing(
            family: preset.family, aliases: preset.aliases, source: preset.source,
            moe: Nullable(preset.model.moe.map {
                Experts(experts: $0.experts, expertsPerToken: $0.expertsPerToken, expertFfn: $0.expertFFN,
                        sharedExperts: $0.sharedExperts)
            }))
    }

    func encode(to encoder: Encoder) throws {
        try shape.encode(to: encoder)
        try listing.encode(to: encoder)
    }
}

/// The JSON document of `loom models --format json`.
struct ModelList: Encodable {
    var models: [ModelSummary]
}

/// Parameter and FLOP counts for people: `8.03B`, `124.4M`, `8,030,261,248`.
enum CountFormat {
    /// Three significant-ish digits with a K/M/B/T suffix.
    static func short(_ value: Int) -> String {
        short(Double(value))
    }

    static func short(_ value: Double) -> String {
        let units: [(Double, String)] = [(1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K")]
        for (scale, suffix) in units where abs(value) >= scale {
            let scaled = value / scale
            return String(format: scaled >= 100 ? "%.1f" : "%.2f", scaled) + suffix
        }
        return String(format: "%.0f", value)
    }

    /// Digits grouped by thousands with commas.
    static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return value < 0 ? "-" + out : out
    }
}

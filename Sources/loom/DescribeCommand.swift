import ArgumentParser
import Foundation
import Workloads

/// `loom describe`: one model's shape, exact parameter counts with their breakdown, and training
/// FLOPs per token. Counting is `TransformerModel.parameterCount` and `TransformerModel.flops`
/// (Workloads); this command only resolves `--model` and prints.
struct DescribeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "describe",
        abstract: "Show a model's shape, exact parameter counts and training FLOPs per token.",
        discussion: """
            --model takes a preset name (loom models), a Hugging Face config.json or the folder \
            holding it, or a Loom YAML/JSON model file (Sources/Workloads/README.md).

            flops_per_token is the training (forward + backward) model FLOPs per token, no \
            recomputation: 3 x forward, forward = 2 x every weight matrix a token multiplies \
            (logits included, embedding lookups not) + attention 2 x 2 x seq x heads x head_dim \
            per layer, at --seq (default: the model's max_seq). The attention term is not halved \
            for causal masking (Megatron eq. 3, PaLM's 6N + 12LHQT) unless --causal is given; \
            a bidirectional encoder's never is. An encoder-decoder model (T5) is counted per \
            (input + target) token with a target as long as the input (--seq): the encoder over \
            the input, the decoder and logits over the target.

            Examples:
              loom describe --model llama-3.1-8b
              loom describe --model mixtral-8x7b --seq 4096 --format json
              loom describe --model ./Llama-3.1-8B/config.json
              loom describe --model my-model.yaml --causal
            """
    )

    @Option(help: "A preset name, a Hugging Face config.json (or its folder), or a Loom model file.")
    var model: String

    @Option(help: "Sequence length for the attention FLOPs (default: the model's max_seq).")
    var seq: Int?

    @Flag(help: "Halve the attention FLOPs for causal masking (default: not halved, as in Megatron eq. 3).")
    var causal = false

    @OptionGroup var output: FormatOption

    func validate() throws {
        if let seq, seq <= 0 || seq > TransformerModel.Limits.maxSeq {
            throw ValidationError("--seq \(seq) must be between 1 and \(TransformerModel.Limits.maxSeq)")
        }
    }

    func run() throws {
        let loaded = try ModelCatalog.load(model)
        let description = ModelDescription(loaded, preset: ModelCatalog.entry(named: model), spec: model,
                                           seq: seq ?? loaded.maxSeq, causal: causal)
        switch output.format {
        case .json:
            try JSONOutput.print(description)
        case .table:
            print(Self.render(description))
        }
    }

    static func render(_ description: ModelDescription) -> String {
        let (s, d) = (description.shape, description.details)
        var shape = TextTable(["MODEL", s.name], alignments: [.left, .left])
        var rows: [(String, String)] = [
            ("family", d.family.value ?? "-"), ("source", d.source),
            ("parameters", "\(CountFormat.grouped(s.parameters)) (\(CountFormat.short(s.parameters)))"),
            ("active parameters", "\(CountFormat.grouped(s.activeParameters)) (\(CountFormat.short(s.activeParameters)))"),
            ("training FLOPs/token", "\(CountFormat.short(d.flopsPerToken)) at seq \(d.seq)\(d.causal ? ", causal" : "")"),
            ("layers", "\(s.layers)"), ("hidden", "\(s.hidden)"),
            ("heads / kv heads / head dim", "\(s.heads) / \(s.kvHeads) / \(s.headDim)"),
            ("ffn", "\(s.ffn) (\(s.mlp))"), ("vocab", "\(s.vocab)"), ("max seq", "\(s.maxSeq)"),
            ("norm / position", "\(d.norm) / \(d.position)"),
            ("tied embeddings", "\(d.tiedEmbeddings)"), ("parallel block", "\(d.parallelBlock)"),
            ("attention / output head", "\(d.attention) / \(d.outputHead)"),
        ]
        if d.decoderLayers > 0 {
            rows.append(("decoder layers", "\(d.decoderLayers) (causal self-attention + cross-attention), "
                + "FLOPs per (input + target) token, target \(d.targetSeq)"))
        }
        if let moe = d.moe.value {
            rows.append(("experts", "\(moe.experts) x \(moe.expertFFN), top-\(moe.expertsPerToken), "
                + "\(moe.sharedExperts) shared, first \(moe.denseLayers) layers dense"))
        }
        if let mla = d.mla.value {
            rows.append(("latent attention", "q rank \(mla.qLoraRank), kv rank \(mla.kvLoraRank), "
                + "qk \(mla.qkNopeHeadDim)+\(mla.qkRopeHeadDim), v \(mla.vHeadDim)"))
        }
        if let window = d.attentionWindow.value {
            rows.append(("sliding window", "\(window.size) keys on \(window.layers) of \(s.layers) layers"))
        }
        for (key, value) in rows { shape.add([key, value]) }

        var parts = TextTable(["PART", "PARAMETERS", "SHARE"])
        let b = d.breakdown
        let total = Double(max(s.parameters, 1))
        for (part, count) in [
            ("embedding", b.embedding), ("position embedding", b.positionEmbedding),
            ("token-type embedding", b.tokenTypeEmbedding), ("attention", b.attention),
            ("dense MLP", b.denseMLP), ("routed experts", b.routedExperts), ("shared experts", b.sharedExperts),
            ("routers", b.routers), ("norms", b.norms), ("pooler", b.pooler), ("output layer", b.outputLayer),
        ] where count > 0 {
            parts.add([part, CountFormat.grouped(count), String(format: "%.1f%%", 100 * Double(count) / total)])
        }
        parts.add(["total", CountFormat.grouped(s.parameters), "100.0%"])
        return shape.render() + "\n\n" + parts.render()
    }
}

/// The JSON document of `loom describe --format json`: one flat object of the shape fields
/// (`ModelShape`, with `parameters` and `active_parameters`) and these; keys are the snake_case of
/// the property names. `parameters`, `active_parameters` and `flops_per_token` are the public
/// contract (ARCHITECTURE.md).
struct ModelDescription: Encodable {
    struct Details: Encodable {
        var family: Nullable<String>
        var source: String
        /// Training (forward + backward) model FLOPs per token at `seq`.
        var flopsPerToken: Double
        var seq: Int
        var causal: Bool
        var norm: String
        var position: String
        var tiedEmbeddings: Bool
        var qkvBias: Bool
        var linearBias: Bool
        var parallelBlock: Bool
        /// Self-attention of the (first) stack, `causal` or `bidirectional`; the output head.
        var attention: String
        var outputHead: String
        /// Decoder layers and the target length of the FLOPs of an encoder-decoder model, else 0.
        var decoderLayers: Int
        var targetSeq: Int
        var moe: Nullable<MoEConfig>
        var mla: Nullable<MLAConfig>
        /// Sliding-window attention (`size` keys on `layers` of the layers), or null.
        var attentionWindow: Nullable<AttentionWindow>
        var breakdown: Breakdown
        var flops: FLOPs
    }

    struct Breakdown: Encodable {
        var embedding: Int
        var positionEmbedding: Int
        var attention: Int
        var denseMLP: Int
        var routedExperts: Int
        var sharedExperts: Int
        var routers: Int
        var norms: Int
        var outputLayer: Int
        var tokenTypeEmbedding: Int
        var pooler: Int
        var crossAttentionPerLayer: Int
        var decoderLayers: Int
        var attentionPerLayer: Int
        var denseMLPPerLayer: Int
        var routedExpert: Int
        var denseLayers: Int
        var moeLayers: Int
        var activeNonEmbedding: Int

        init(_ count: ParameterCount) {
            embedding = count.embedding
            positionEmbedding = count.positionEmbedding
            attention = count.attention
            denseMLP = count.denseMLP
            routedExperts = count.routedExperts
            sharedExperts = count.sharedExperts
            routers = count.routers
            norms = count.norms
            outputLayer = count.outputLayer
            tokenTypeEmbedding = count.tokenTypeEmbedding
            pooler = count.pooler
            crossAttentionPerLayer = count.crossAttentionPerLayer
            decoderLayers = count.decoderLayers
            attentionPerLayer = count.attentionPerLayer
            denseMLPPerLayer = count.denseMLPPerLayer
            routedExpert = count.routedExpert
            denseLayers = count.denseLayers
            moeLayers = count.moeLayers
            activeNonEmbedding = count.activeNonEmbedding
        }
    }

    struct FLOPs: Encodable {
        var forward: Double
        var backward: Double
        var training: Double
        var layerMatmuls: Double
        var attention: Double
        var output: Double
        var fullRecomputation: Double

        init(_ count: FLOPCount) {
            forward = count.forward
            backward = count.backward
            training = count.training
            layerMatmuls = count.layerMatmuls
            attention = count.attention
            output = count.output
            fullRecomputation = count.fullRecomputation
        }
    }

    var shape: ModelShape
    var details: Details

    init(_ model: TransformerModel, preset: ModelPreset?, spec: String, seq: Int, causal: Bool) {
        let flops = model.flops(seq: seq, causal: causal)
        shape = ModelShape(model)
        details = Details(
            family: Nullable(preset?.family), source: preset?.source ?? spec, flopsPerToken: flops.training,
            seq: seq, causal: causal, norm: model.norm.rawValue, position: model.position.rawValue,
            tiedEmbeddings: model.tiedEmbeddings, qkvBias: model.qkvBias, linearBias: model.linearBias,
            parallelBlock: model.parallelBlock, attention: model.attention.rawValue,
            outputHead: model.outputHead.rawValue, decoderLayers: model.decoderLayerCount, targetSeq: flops.targetSeq,
            moe: Nullable(model.moe), mla: Nullable(model.mla), attentionWindow: Nullable(model.attentionWindow),
            breakdown: Breakdown(model.parameterCount), flops: FLOPs(flops))
    }

    func encode(to encoder: Encoder) throws {
        try shape.encode(to: encoder)
        try details.encode(to: encoder)
    }
}

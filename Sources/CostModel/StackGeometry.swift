import Workloads

/// What the cost model needs beyond one layer's widths for encoder-only (BERT, RoBERTa) and
/// encoder-decoder (T5, mT5) models, all from Workloads' exact counts (`WeightCount`):
/// - the self-attention mask of the `layers` stack (a bidirectional encoder's scores are never
///   halved: no mask for a causal kernel to skip);
/// - the decoder stack: its layer count and what each decoder layer adds to a self-attention
///   layer of the same widths, a cross-attention block (Q and output over the target tokens, K
///   and V over the encoder's output) and its norm (Vaswani et al. 2017, section 3.1; Raffel et
///   al. 2020, section 2.1);
/// - the parameters outside the layers: token types, relative-position-bias tables (one per
///   stack, in its first layer), per-stack final norms, BERT's pooler and the output head.
///
/// The pipeline runs the encoder's layers then the decoder's over `totalLayers` stages' worth of
/// layers: global layer index i < `encoderLayers` is an encoder layer, else a decoder layer.
public struct StackGeometry: Sendable, Hashable {
    /// Layers of the first (or only) stack, and of the decoder stack (0 without one).
    public var encoderLayers: Int = 0
    public var decoderLayers: Int = 0
    /// Self-attention mask of the first stack.
    public var mask: AttentionMask = .causal
    /// Cross-attention matrices of one decoder layer (the shapes of self-attention) and the
    /// vectors it adds (its biases and its norm).
    public var crossAttentionWeights: Double = 0
    public var decoderLayerExtraVectors: Double = 0
    /// Relative-position-bias table of one stack (`buckets x heads`), 0 without one.
    public var relativeBiasPerStack: Double = 0
    /// Token-type table `tokenTypes x h` (BERT).
    public var tokenTypeElements: Double = 0
    /// The output head (`OutputHead`); the masked-LM head's `h x h` transform with its bias and
    /// norm, and the bias of V on its decoder.
    public var outputHead: OutputHead = .lmHead
    public var maskedLMTransform: Double = 0
    public var maskedLMVectors: Double = 0
    /// BERT's pooler `h x h + h` (0 for the masked-LM and conditional-generation classes).
    public var pooler: Double = 0
    /// Parameters of one final norm.
    public var finalNorm: Double = 0

    public init() {}

    public init(model: TransformerModel) {
        encoderLayers = max(model.layers, 0)
        decoderLayers = model.decoderLayerCount
        mask = model.attention
        let cross = model.crossAttentionWeights
        crossAttentionWeights = Double(cross.matrices)
        decoderLayerExtraVectors = model.isEncoderDecoder ? Double(cross.vectors) + Double(model.normParameters) : 0
        relativeBiasPerStack = model.position == .relativeBias
            ? Double(max(0, model.details.relativeAttentionBuckets)) * Double(model.heads) : 0
        tokenTypeElements = Double(model.tokenTypeWeights.total)
        outputHead = model.outputHead
        if model.outputHead == .maskedLM {
            maskedLMTransform = Double(model.hidden) * Double(model.hidden)
            maskedLMVectors = Double(model.hidden) + Double(model.normParameters) + Double(model.vocab)
        }
        pooler = Double(model.poolerWeights.total)
        finalNorm = model.details.finalNorm ? Double(model.normParameters) : 0
    }

    /// Layers of both stacks.
    public var totalLayers: Int { encoderLayers + decoderLayers }
    public var isEncoderDecoder: Bool { decoderLayers > 0 }
}

/// The layers of one pipeline stage, by stack: stages split the `totalLayers` layers as
/// `StageAssignment` does, encoder layers first.
public struct StageLayers: Sendable, Hashable {
    /// Global index of the stage's first layer, and its layer counts.
    public var first: Int
    public var encoder: Int
    public var decoder: Int
    /// MoE layers among the encoder (only) stack's layers of the stage.
    public var moe: Int

    public var total: Int { encoder + decoder }
    /// Whether the stage holds the first layer of the decoder (its bias table, the decoder's
    /// embedding lookup) and the last layer of the encoder (its final norm).
    public var holdsDecoderStart: Bool
    public var holdsEncoderEnd: Bool

    public init(stage: Int, geometry g: LayerGeometry, model: TransformerModel, layout: ParallelLayout) {
        let s = g.stacks
        let assignment = StageAssignment(stages: layout.pp, layers: s.totalLayers)
        let count = assignment.layers(onStage: stage)
        first = assignment.firstLayer(ofStage: stage)
        let end = first + count
        encoder = max(0, min(end, s.encoderLayers) - first)
        decoder = count - encoder
        moe = g.moeLayers(from: first, to: first + encoder, leadingDense: model.moe?.denseLayers ?? 0,
                          frequency: model.moe?.layerFrequency ?? 1)
        holdsDecoderStart = s.isEncoderDecoder && first <= s.encoderLayers && s.encoderLayers < end
        holdsEncoderEnd = s.encoderLayers > 0 && first < s.encoderLayers && s.encoderLayers <= end
    }
}

extension ParallelLayout {
    /// Target (decoder) tokens per sequence of an encoder-decoder model: `targetSeq`, else `seq`.
    public var decoderSeq: Int { targetSeq ?? seq }
}

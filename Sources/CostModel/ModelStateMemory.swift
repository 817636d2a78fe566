import Workloads

/// Parameters one GPU of a pipeline stage holds, per `ParameterClass`; their bytes under
/// mixed precision and ZeRO sharding are `ParameterAccounting`'s (Rajbhandari et al. 2020,
/// section 5; Megatron's distributed optimizer shards over DP x CP).
public struct StageParameters: Sendable, Hashable {
    /// Parameters replicated over the data-parallel group (attention, dense MLP, norms,
    /// router, shared experts), per GPU after TP.
    public var dense: Double
    /// Routed-expert parameters per GPU after EP and expert TP; sharded over DP x CP / EP.
    public var expert: Double
    /// Word and position embeddings (first stage) and the output layer (last stage), per GPU
    /// after TP; replicated over the data-parallel group like `dense`.
    public var embedding: Double
    /// LoRA/QLoRA adapters of the stage's layers per GPU (0 without adapters).
    public var adapter: Double = 0
    /// Of `adapter`, the parameters in matrices large enough for a paged optimizer to page
    /// (`LoRAGeometry.pagedParameters`).
    public var pagedAdapter: Double = 0
    /// The weight matrices among `dense` (what QLoRA stores in NF4; norms, biases, the router
    /// and the relative-position-bias tables stay 16-bit).
    public var denseMatrices: Double = 0
    /// The largest single parameter tensor per GPU (the one gradient an optimizer fused into the
    /// backward holds at a time).
    public var largestTensor: Double = 0
    /// The largest FSDP unit per GPU: one transformer layer, or the embedding table (the units
    /// FSDP wraps, torchtitan/torchtune `custom_sharded_layers`), what parameter offload brings back.
    public var largestUnit: Double = 0
    /// Parameters per GPU of the stage's largest transformer layer (one FSDP block unit).
    public var largestLayer: Double = 0
    /// Parameters per GPU of the output layer the stage holds (0 where it holds none).
    public var outputLayer: Double = 0
    /// The output layer is the input embedding's table (tied), not a matrix of its own.
    public var outputLayerTied = false

    public var total: Double { dense + expert + embedding + adapter }

    public init(dense: Double, expert: Double, embedding: Double = 0) {
        self.dense = dense
        self.expert = expert
        self.embedding = embedding
    }
}

public enum ModelStateMemory {
    /// Parameters per GPU on stage `stage` (0-based). The stages split the layers of every stack
    /// (`StageLayers`: encoder first); a decoder layer adds its cross-attention (split by TP) and
    /// its norm. Stage 0 holds the embedding tables (token, position, token type), the embedding
    /// norm and the first stack's relative-position-bias table; the stage with the decoder's first
    /// layer holds the decoder's table, the one with the encoder's last layer its final norm (of an
    /// encoder-decoder model); the last stage holds the output head, the pooler and the last
    /// stack's final norm.
    public static func parameters(stage: Int, geometry g: LayerGeometry, model: TransformerModel,
                                  layout: ParallelLayout) -> StageParameters {
        let s = g.stacks
        let layers = StageLayers(stage: stage, geometry: g, model: model, layout: layout)
        let t = Double(layout.tp)
        var params = layerParameters(layers: layers.total, moeLayers: layers.moe, geometry: g, layout: layout)
        params.dense += Double(layers.decoder) * (s.crossAttentionWeights / t + s.decoderLayerExtraVectors)
        if stage == 0 {
            params.embedding += g.embeddingElements / t + g.positionEmbeddingElements + s.tokenTypeElements
            params.dense += s.relativeBiasPerStack
            if model.details.embeddingNorm { params.dense += Double(model.norm.parametersPerChannel) * g.hidden }
        }
        if layers.holdsDecoderStart { params.dense += s.relativeBiasPerStack }
        if layers.holdsEncoderEnd && s.isEncoderDecoder { params.dense += s.finalNorm }
        if stage == layout.pp - 1 {
            // Untied models own an output layer; tied ones keep a copy on the last stage when pp > 1.
            let ownsLogits = !model.tiedEmbeddings || layout.pp > 1
            switch s.outputHead {
            case .lmHead:
                if ownsLogits { params.embedding += g.embeddingElements / t }
                // Phi's output-layer bias, split over TP with the vocabulary.
                if model.details.outputBias { params.embedding += Double(model.vocab) / t }
            case .maskedLM:
                params.embedding += (ownsLogits ? g.embeddingElements / t : 0) + s.maskedLMTransform + s.maskedLMVectors
            case .none: break
            }
            params.dense += s.finalNorm + s.pooler
        }
        return params
    }

    /// `parameters(stage:geometry:model:layout:)` with what the recipe adds: the LoRA adapters of
    /// the stage's layers (`LoRAGeometry`), and the matrix share and largest tensor that QLoRA and
    /// a fused optimizer need.
    public static func parameters(stage: Int, geometry g: LayerGeometry, model: TransformerModel, layout: ParallelLayout,
                                  recipe: TrainingRecipe) -> StageParameters {
        var params = parameters(stage: stage, geometry: g, model: model, layout: layout)
        let layers = StageLayers(stage: stage, geometry: g, model: model, layout: layout)
        let t = Double(layout.tp)
        let dense = Double(layers.encoder - layers.moe)
        let moe = Double(layers.moe)
        let decoder = Double(layers.decoder)
        params.denseMatrices = (dense + moe + decoder) * g.attentionWeights / t + (dense + decoder) * g.denseMLPWeights / t
            + decoder * g.stacks.crossAttentionWeights / t + moe * (g.routerWeights + g.sharedExpertWeights / t)
        let lora = LoRAGeometry(geometry: g, fineTuning: recipe.fineTuning)
        params.adapter = lora.parameters(dense: dense, moe: moe, decoder: decoder, layout: layout)
        params.pagedAdapter = lora.pagedParameters(dense: dense, moe: moe, decoder: decoder, layout: layout)
        let layerMatrix = max(g.hidden * max(g.queryWidth, g.ffn), g.hidden * g.expertFFN) / t
        params.largestTensor = max(params.embedding > 0 ? g.embeddingElements / t : 0, layers.total > 0 ? layerMatrix : 0)
        let layer = layerParameters(layers: 1, moeLayers: layers.moe > 0 ? 1 : 0, geometry: g, layout: layout).total
        params.largestUnit = max(params.embedding > 0 ? g.embeddingElements / t : 0, layers.total > 0 ? layer : 0)
        params.largestLayer = layers.total > 0 ? layer : 0
        let ownsLogits = !model.tiedEmbeddings || layout.pp > 1
        params.outputLayer = stage == layout.pp - 1 && g.stacks.outputHead != .none && ownsLogits ? g.embeddingElements / t : 0
        params.outputLayerTied = model.tiedEmbeddings
        return params
    }

    /// Parameters per GPU of `layers` transformer layers (`moeLayers` of them MoE), without
    /// embeddings or the output layer: attention and dense MLP split by TP (K/V heads whole when
    /// TP exceeds them), norms and biases replicated, routed experts split by EP x TP.
    public static func layerParameters(layers: Int, moeLayers: Int, geometry g: LayerGeometry,
                                       layout: ParallelLayout) -> StageParameters {
        let t = Double(layout.tp)
        let moeCount = Double(moeLayers)
        let denseCount = Double(layers) - moeCount
        // K/V heads replicated when tp exceeds them (`keyValueWidthPerRank`): each rank holds
        // whole heads' K and V projections.
        let replicatedKeyValue = g.hidden * (g.keyValueWidthPerRank(tp: layout.tp) - (g.keyWidth + g.valueWidth) / t)
        var dense = Double(layers) * (g.attentionWeights / t + replicatedKeyValue + g.layerVectorParameters)
        dense += denseCount * (g.denseMLPWeights / t + g.denseMLPVectors)
        dense += moeCount * (g.routerWeights + g.sharedExpertWeights / t)
        let expert = moeCount * g.experts * g.expertWeights / (Double(layout.ep) * t)
        return StageParameters(dense: dense, expert: expert)
    }

    /// Weights, gradients and optimizer bytes for `params` (every class trainable) under the
    /// layout's ZeRO stage: `ParameterAccounting.memory`. Stage 1 shards the optimizer state, 2
    /// also the gradients, 3 also the weights (Rajbhandari et al. 2020, Figure 1): e.g. 7.5B
    /// parameters, Nd = 64, K = 12 -> 120 / 31.4 / 16.6 / 1.9 GB.
    public static func bytes(for params: StageParameters, layout: ParallelLayout,
                             recipe: TrainingRecipe) -> MemoryBreakdown {
        ParameterAccounting(params, layout: layout, recipe: recipe).memory
    }
}

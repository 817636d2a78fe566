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

    public var total: Double { dense + expert + embedding }

    public init(dense: Double, expert: Double, embedding: Double = 0) {
        self.dense = dense
        self.expert = expert
        self.embedding = embedding
    }
}

public enum ModelStateMemory {
    /// Parameters per GPU on stage `stage` (0-based).
    public static func parameters(stage: Int, geometry g: LayerGeometry, model: TransformerModel,
                                  layout: ParallelLayout) -> StageParameters {
        let assignment = StageAssignment(stages: layout.pp, layers: model.layers)
        let t = Double(layout.tp)
        let layerCount = assignment.layers(onStage: stage)
        let start = assignment.firstLayer(ofStage: stage)
        let moeCount = g.moeLayers(from: start, to: start + layerCount, leadingDense: model.moe?.denseLayers ?? 0,
                                   frequency: model.moe?.layerFrequency ?? 1)
        var params = layerParameters(layers: layerCount, moeLayers: moeCount, geometry: g, layout: layout)
        if stage == 0 {
            params.embedding += g.embeddingElements / t + g.positionEmbeddingElements
            if model.details.embeddingNorm { params.dense += Double(model.norm.parametersPerChannel) * g.hidden }
        }
        if stage == layout.pp - 1 {
            // Untied models own an output layer; tied ones keep a copy on the last stage when pp > 1.
            if !model.tiedEmbeddings || layout.pp > 1 { params.embedding += g.embeddingElements / t }
            if model.details.finalNorm { params.dense += Double(model.norm.parametersPerChannel) * g.hidden }
        }
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

/// Which layers of a model are dense and which are mixture-of-experts.
extension TransformerModel {
    /// Whether layer `index` (0-based) has a mixture-of-experts MLP: the first `moe.denseLayers`
    /// layers are dense (DeepSeek `first_k_dense_replace`), and after them every
    /// `moe.layerFrequency`-th layer is MoE, counting from 1 (Qwen2-MoE `decoder_sparse_step`:
    /// layer i is sparse when (i + 1) % step == 0).
    public func isMoELayer(_ index: Int) -> Bool {
        guard let moe, index >= 0, index < layers else { return false }
        let dense = max(0, moe.denseLayers)
        guard index >= dense else { return false }
        return (index - dense + 1) % max(1, moe.layerFrequency) == 0
    }

    /// Layers with a mixture-of-experts MLP (0 for a dense model).
    public var moeLayerCount: Int {
        guard let moe, layers > 0 else { return 0 }
        let dense = min(max(moe.denseLayers, 0), layers)
        return (layers - dense) / max(1, moe.layerFrequency)
    }

    /// Layers with a dense MLP of width `ffn`.
    public var denseLayerCount: Int { max(0, layers) - moeLayerCount }

    /// Whether the MLP matrices carry biases (`details.mlpBias`, else `linearBias`).
    public var mlpHasBias: Bool { details.mlpBias ?? linearBias }

    /// Query/key head width used for the attention scores: `headDim`, or for DeepSeek MLA
    /// `qkNopeHeadDim + qkRopeHeadDim` (DeepSeek-AI 2024, "DeepSeek-V2", eq. 14-16).
    public var queryKeyHeadDim: Int {
        guard let mla else { return headDim }
        return Saturating.add(mla.qkNopeHeadDim, mla.qkRopeHeadDim)
    }

    /// Value head width (the input of the attention output projection is `heads x valueHeadDim`).
    public var valueHeadDim: Int { mla?.vHeadDim ?? headDim }
}

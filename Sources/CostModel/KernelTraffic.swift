import Workloads

/// HBM bytes the memory-bound kernels of a layer move per tensor element, forward pass
/// (the backward moves `CostModelConstants.backwardElementwiseByteFactor` times as much).
///
/// Frameworks differ here by the kernels they launch, not by tuning: Megatron / Transformer
/// Engine fuse each op into one read and one write, while a model written in eager PyTorch
/// (torchtitan, FSDP or DeepSpeed on Hugging Face code, without torch.compile) runs every
/// elementary op as its own kernel, each reading and writing the whole tensor.
public struct KernelTraffic: Sendable, Hashable {
    /// One RMSNorm over the hidden size.
    public var rmsNorm: Double
    /// One LayerNorm (PyTorch's native layer_norm is a single fused kernel even in eager mode).
    public var layerNorm: Double
    /// One residual add (with bias and dropout where the model has them).
    public var residualAdd: Double
    /// Gated activation (SwiGLU/GeGLU) per element of the intermediate width.
    public var gatedActivation: Double
    /// GELU/ReLU per element of the intermediate width.
    public var plainActivation: Double
    /// Rotary embedding per element of Q and K.
    public var rotary: Double
    /// Loss over the logits, per logit (fp32 upcast, softmax statistics, gradient).
    public var crossEntropy: Double
    /// Bytes per element an 8/4-bit GEMM input's quantisation moves beyond
    /// `Precision.quantisationBytesPerElement` (Transformer Engine's one fused cast-transpose
    /// kernel): 0 fused; eager torchao float8 with dynamic scaling first reads the tensor for its
    /// amax (2), and makes the transposed copy with its own kernel (read 1, write 1... of which the
    /// write is already counted): 2 + 1 = 3.
    public var quantisationExtra: Double = 0

    /// Megatron-LM / Megatron-Core kernels: fused RMSNorm/LayerNorm (read 2, write 2 bytes),
    /// fused bias-dropout-add (read 2 + 2, write 2, mask 1), fused bias-GeLU (read 2, write 2)
    /// and SwiGLU (read 2 x 2, write 2), fused RoPE (read 2, write 2), fused vocab-parallel cross
    /// entropy (about 14 bytes per logit: fp32 upcast, max/sum, softmax kept for the backward).
    public static let fused = KernelTraffic(rmsNorm: 4, layerNorm: 4, residualAdd: 7, gatedActivation: 6,
                                            plainActivation: 4, rotary: 4, crossEntropy: 14)

    /// Eager PyTorch as torchtitan's and Hugging Face's Llama code write it:
    /// - RMSNorm: x.float() (r2 w4), pow(2) (r4 w4), mean (r4), x * rsqrt (r4 w4), type_as (r4 w2),
    ///   * weight (r2 w2): 40 bytes;
    /// - residual add: r2 + r2, w2 = 6 (no dropout in these models);
    /// - SwiGLU: silu(a) (r2 w2), then * b (r2 + r2, w2) = 10;
    /// - GELU: r2 w2 = 4;
    /// - rotary via complex multiplication: float upcast (r2 w4), complex mul (r4 + r4, w4),
    ///   type_as (r4 w2) = 24;
    /// - cross entropy: logits.float() (r2 w4), log_softmax (r4 w4), nll (r4) = 18.
    public static let eager = KernelTraffic(rmsNorm: 40, layerNorm: 4, residualAdd: 6, gatedActivation: 10,
                                            plainActivation: 4, rotary: 24, crossEntropy: 18, quantisationExtra: 3)

    /// Forward bytes per token of one layer's memory-bound kernels on [tokens, h] tensors
    /// (two norms, two residual adds), before any split by sequence parallelism.
    public func hiddenBytesPerToken(hidden: Double, norm: NormKind) -> Double {
        let normBytes = norm == .rmsnorm ? rmsNorm : layerNorm
        return 2 * (normBytes + residualAdd) * hidden
    }
}

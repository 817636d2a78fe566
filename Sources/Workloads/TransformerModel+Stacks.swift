/// Encoder-only and encoder-decoder models: the attention mask of a stack, the decoder stack of
/// an encoder-decoder model, and the head after the last layer.

/// Which positions a token attends to in self-attention.
public enum AttentionMask: String, Sendable, Hashable, Codable, CaseIterable {
    /// Each token attends to itself and the tokens before it (GPT, Llama; the decoder of T5).
    case causal
    /// Each token attends to every token of its sequence (BERT, RoBERTa; the encoder of T5).
    /// FLOPs of its scores are never halved: there is no mask to skip.
    case bidirectional
}

/// The decoder stack of an encoder-decoder model (Vaswani et al. 2017, section 3.1; Raffel et al.
/// 2020, T5, section 2.1). It has the encoder's widths (`hidden`, `heads`, `kvHeads`, `headDim`,
/// `ffn`, `mlp`, `norm`, bias flags); each of its layers holds, in order:
/// - causal self-attention over the target tokens, with its norm;
/// - cross-attention: Q from the decoder's hidden state, K and V projected from the encoder's
///   final output (one K/V projection per decoder layer, over the input tokens), output
///   projection; the same weight shapes as self-attention, plus its own norm;
/// - the MLP, with its norm.
/// So a decoder layer has `normsPerBlock + 1` norms. Its own final norm (if `details.finalNorm`)
/// and, with `.relativeBias`, its own bias table in its first layer.
public struct DecoderStack: Sendable, Hashable, Codable {
    /// Decoder layers (HF T5 `num_decoder_layers`).
    public var layers: Int

    public init(layers: Int) {
        self.layers = layers
    }
}

/// The head after the last layer (of the decoder, for an encoder-decoder model).
public enum OutputHead: String, Sendable, Hashable, Codable, CaseIterable {
    /// Logits `V x h` (tied to the embedding or not): causal LMs, T5's `lm_head`.
    case lmHead = "lm_head"
    /// BERT/RoBERTa masked-LM head (HF `BertLMPredictionHead`, `RobertaLMHead`): dense `h x h` with
    /// bias, GELU, a norm, then the decoder `V x h` (tied to the embedding unless not
    /// `tiedEmbeddings`) with a bias of V. HF computes its logits at every position.
    case maskedLM = "masked_lm"
    /// No head: the bare encoder's hidden states (HF `BertModel`, `T5EncoderModel`).
    case none
}

extension TransformerModel {
    /// Whether the model has a decoder stack (encoder-decoder).
    public var isEncoderDecoder: Bool { decoder != nil }

    /// Decoder layers of an encoder-decoder model, else 0.
    public var decoderLayerCount: Int { max(0, decoder?.layers ?? 0) }

    /// Layers of every stack: encoder (or the only stack) plus decoder.
    public var totalLayerCount: Int { Saturating.add(max(0, layers), decoderLayerCount) }

    /// Stacks of layers: 2 for an encoder-decoder model, else 1. Each has its own final norm and
    /// (T5) its own relative-position-bias table.
    public var stackCount: Int { isEncoderDecoder ? 2 : 1 }
}

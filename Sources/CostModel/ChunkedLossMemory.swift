/// Peak bytes per logit of a cross entropy over logits the output projection returns in chunks
/// (torchtune's `CEWithChunkedOutputLoss` with `model.set_num_output_chunks(n)`, torchtune
/// 0.3-0.4: `TransformerDecoder.chunked_output` applies `self.output` to each of the n slices
/// of the final hidden state along the sequence, so every chunk's logits are a tensor of their
/// own in the model dtype, and the loss upcasts and differentiates one chunk at a time,
/// `compute_cross_entropy(logits.float(), labels)`). With `a` the model dtype's bytes:
/// - compiled (`training.compile_loss` compiles `compute_cross_entropy`, the upcast with the
///   cross entropy; torchtune PR 1390): the compiled graph keeps each chunk's model-dtype
///   logits and a logsumexp per row for its backward and recomputes the fp32 upcast and the
///   softmax there, so the loss holds the n chunks' logits (a per logit) from the forward until
///   each chunk's backward, which allocates that chunk's model-dtype gradient (a / n) while its
///   logits are still saved: a + a / n (2.25 bytes at bf16 and 8 chunks);
/// - eager: each chunk's `log_softmax` saves its fp32 output (4) for the backward, the recipe
///   holds the model-dtype chunks (a) until its `del logits` after the loss, and the last
///   chunk's fp32 upcast (4 / n) is live while its log-softmax runs: a + 4 + 4 / n.
/// Either way the full fp32 logits (4 per logit) and their fp32 gradient are never whole, unless
/// the chunks come out in fp32 (`TrainingRecipe.fp32LogitsLoss`: Lightning Fabric casts a
/// module's outputs to fp32, LitGPT's `chunked_cross_entropy` then runs on them, the last chunk
/// sliced and reshaped into a copy): `a` = 4, so 4 + 4 + 4 / n eager.
public enum ChunkedLossMemory {
    public static func peakBytesPerLogit(chunks: Int, activationBytes a: Double, compiled: Bool) -> Double {
        let n = Double(max(chunks, 1))
        return compiled ? a + a / n : a + 4 + 4 / n
    }
}

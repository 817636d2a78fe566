import Workloads

/// The end of a forward when the training loop still holds the previous micro-batch's outputs
/// (`TrainingRecipe.previousGraphHeld`).
///
/// LitGPT's `fit` (litgpt `finetune/lora.py` and `full.py`, @eda1aaaf to @26857050) runs
/// `logits = model(input_ids, lm_head_chunk_size=128)`, then `loss = chunked_cross_entropy(...)`
/// and `fabric.backward(loss / ...)`, each micro-batch. The names are rebound only when the next
/// `model(...)` returns, so until then the previous logit chunks are allocated, and through their
/// `grad_fn` the previous micro-batch's whole autograd graph. After a backward, autograd frees
/// what each node saved with `save_for_backward` (`Node::release_variables`), but not tensors a
/// custom `autograd.Function` stored on its `ctx` as attributes, which live as long as the node
/// (PyTorch `FunctionCtx.save_for_backward`: "All tensors intended to be used in the backward
/// pass should be saved with save_for_backward (as opposed to directly on ctx) to prevent
/// incorrect gradients and memory leaks"). bitsandbytes' `MatMul4Bit.forward` keeps its input as
/// `ctx.tensors = (A, B)`, so every 4-bit linear's input of the previous micro-batch is still
/// allocated while the next forward runs.
///
/// At the end of the next forward the last stage holds, beside every layer's saved tensors and
/// the final norm's and output layer's inputs (which the loss phase holds too):
/// - the new logits as the forward leaves them: while the output layer computes its last chunk,
///   the chunks in the compute dtype (a bytes a logit) and a quantised output layer's dequantised
///   weight (`NF4Dequantisation.outputLayerBufferBytes`); where Lightning Fabric's
///   `convert_output` casts the chunks to fp32 (`fp32LogitsLoss` with `lossOutputChunks`), the
///   16-bit chunks and their fp32 copies at once (a + 4);
/// - the previous logits as the loop holds them (4 bytes a logit when converted, else a);
/// - where the 4-bit linears keep their inputs (`FineTuneMemory.baseKeepsInputs`), the previous
///   micro-batch's: per layer and token, the inputs of the Q/K/V projection, the attention output
///   projection, the MLP's input projection(s) (one tensor for the gate and up projections, and
///   for attention too in a parallel block with one norm, `LayerGeometry.sharedBlockInput`) and
///   its output projection, at the widths `FineTuneMemory.InputWidths` takes (MoE layers counted
///   at their dense widths: U), and a quantised output layer's input (the final norm's output).
public enum HeldPreviousGraph {
    /// Bytes of the last stage at the end of a forward beyond the layers' saved tensors and the
    /// final norm's and output layer's inputs; 0 unless the recipe holds the previous graph.
    public static func forwardEndBytes(stage: Int, geometry g: LayerGeometry, model: TransformerModel,
                                       layout: ParallelLayout, recipe: TrainingRecipe) -> Double {
        guard recipe.previousGraphHeld == true, stage == layout.pp - 1, g.stacks.outputHead != .none else { return 0 }
        let t = Double(layout.tp)
        let a = recipe.precision.activationBytes
        let inputTokens = Double(layout.microBatch) * Double(layout.seq) / Double(layout.cp)
        let targetTokens = Double(layout.microBatch) * Double(layout.decoderSeq)
        let outputTokens = g.stacks.isEncoderDecoder ? targetTokens : inputTokens
        let logits = outputTokens * g.vocab / t
        let converted = recipe.fp32LogitsLoss == true && (recipe.lossOutputChunks ?? 0) > 0
        let fp32 = Precision.fp32.activationBytes
        let headBuffer = NF4Dequantisation.outputLayerBufferBytes(geometry: g, tp: t, recipe: recipe)
        let newLogits = max(a * logits + headBuffer, converted ? (a + fp32) * logits : 0)
        var held = (converted ? fp32 : a) * logits
        if FineTuneMemory.baseKeepsInputs(recipe) {
            let layers = StageLayers(stage: stage, geometry: g, model: model, layout: layout)
            let perToken = a * quantisedInputWidthPerLayer(geometry: g, layout: layout)
            held += perToken * (inputTokens * Double(layers.encoder) + targetTokens * Double(layers.decoder))
            if NF4Dequantisation.quantisesOutputLayer(recipe: recipe, tiedEmbeddings: g.tiedEmbeddings) {
                held += outputTokens * a * g.hidden
            }
        }
        return newLogits + held
    }

    /// Elements per token of one layer's distinct projection inputs.
    public static func quantisedInputWidthPerLayer(geometry g: LayerGeometry, layout: ParallelLayout) -> Double {
        let widths = FineTuneMemory.InputWidths(geometry: g, layout: layout)
        let mlpInput = g.sharedBlockInput ? 0 : widths.hidden
        return widths.hidden + widths.attentionOutput + mlpInput + widths.mlpOutput
    }
}

import Hardware

/// QLoRA's dequantisation of an NF4 weight for its GEMM (Dettmers et al. 2023; bitsandbytes
/// `MatMul4Bit.forward`: `linear(A, dequantize_4bit(B, quant_state).to(A.dtype).t())`, and its
/// backward the same for the input gradient), once per call, forward and backward:
/// - memory: the dequantised matrix, live while its GEMM runs, in the compute dtype; where the
///   recipe's `dequantisationCast` says it comes out in another 16-bit dtype (Lightning quantises
///   from `torch.half`, so `dequantize_4bit` returns fp16 for a bf16 model), the cast copy too:
///   both exist while `.to(A.dtype)` runs;
/// - HBM traffic: read the NF4 codes and constants, write the 16-bit matrix (and read and write
///   it again for the cast).
/// The output layer when the recipe quantises it (`TrainingRecipe.quantisedOutputLayer`: every
/// `nn.Linear` under Lightning's `BitsandbytesPrecision`, LitGPT) is dequantised the same way,
/// for each chunk of positions the output layer is called on (LitGPT's `lm_head_chunk_size`,
/// `TrainingRecipe.lossOutputChunks`), forward and backward; its buffer is live at the loss,
/// beside the logits.
public enum NF4Dequantisation {
    /// Bytes per weight element of the live dequantisation buffer.
    public static func bufferBytesPerElement(recipe: TrainingRecipe) -> Double {
        let a = recipe.precision.activationBytes
        return recipe.dequantisationCast == true ? a + Precision.fp16.activationBytes : a
    }

    /// HBM bytes moved per weight element for one dequantisation.
    public static func trafficBytesPerElement(recipe: TrainingRecipe) -> Double {
        let written = recipe.precision.weightBytes
        let cast = recipe.dequantisationCast == true ? 2 * written : 0
        return NF4Storage.bytesPerWeight(recipe: recipe) + written + cast
    }

    /// Whether the output layer is stored in NF4: a QLoRA recipe that quantises it, on a model
    /// whose output layer is its own matrix (a table tied to the input embedding stays 16-bit).
    public static func quantisesOutputLayer(recipe: TrainingRecipe, tiedEmbeddings: Bool) -> Bool {
        recipe.fineTuning.method == .qlora && recipe.quantisedOutputLayer == true && !tiedEmbeddings
    }

    /// Output-layer calls per pass: one per chunk of positions.
    public static func outputLayerCalls(recipe: TrainingRecipe) -> Double {
        Double(max(recipe.lossOutputChunks ?? 1, 1))
    }

    /// Seconds of one pass's (forward or backward) dequantisations of a `vocab x hidden / tp`
    /// quantised output layer; 0 where the recipe leaves it 16-bit.
    public static func outputLayerSeconds(geometry g: LayerGeometry, tp: Double, recipe: TrainingRecipe,
                                          accelerator: Accelerator) -> Double {
        guard quantisesOutputLayer(recipe: recipe, tiedEmbeddings: g.tiedEmbeddings) else { return 0 }
        let bytes = outputLayerCalls(recipe: recipe) * g.vocab * g.hidden / tp * trafficBytesPerElement(recipe: recipe)
        return MatmulTime.memoryBoundSeconds(bytes: bytes, accelerator: accelerator)
    }

    /// Bytes of the quantised output layer's dequantisation buffer, live at the loss.
    public static func outputLayerBufferBytes(geometry g: LayerGeometry, tp: Double, recipe: TrainingRecipe) -> Double {
        guard quantisesOutputLayer(recipe: recipe, tiedEmbeddings: g.tiedEmbeddings) else { return 0 }
        return g.vocab * g.hidden / tp * bufferBytesPerElement(recipe: recipe)
    }
}

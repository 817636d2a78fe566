import Workloads

/// Activation memory per GPU, after Korthikanti et al. 2022, section 4, generalised to GQA,
/// gated MLPs, MoE and MLA by counting the same stored tensors with their real widths.
///
/// Per layer and token, with h the hidden size, t the TP size, 2-byte activations and 1-byte
/// dropout masks (Korthikanti eq. 1-2: sbh(34 + 5as/h) for GPT, sbh(10 + 24/t + 5as/(ht)) with TP):
/// - kept whole on every TP rank unless sequence parallelism splits them (10h for GPT): the
///   inputs of the two norms (2h + 2h), of the QKV and first MLP projections (2h + 2h), and
///   the two dropout masks (h + h);
/// - split by TP (24h for GPT): Q, K, V (2 x widths), the attention-output projection's input,
///   the MLP's first-projection output(s) and activation output;
/// - the attention core, 5as bytes per token (softmax output 2as, its dropout mask as, dropout
///   output 2as), split by TP; gone with selective recomputation or flash attention, which keep
///   only the softmax statistics (4 bytes per head and token, fp32).
public enum ActivationMemory {
    /// Bytes one layer stores per token of a micro-batch on one GPU, without recomputation.
    public static func bytesPerTokenPerLayer(geometry g: LayerGeometry, moe: Bool, layout: ParallelLayout, recipe: TrainingRecipe,
                                             keyLength: Double) -> Double {
        let t = Double(layout.tp)
        let a = recipe.savedActivationBytes
        let mask = CostModelConstants.dropoutMaskBytes
        let h = g.hidden
        // The inputs of the linear layers: in the GEMM input format where the framework keeps
        // them quantised (`FrameworkProfile.savesQuantisedLinearInputs`), else 16-bit.
        let q = recipe.framework.profile.savesQuantisedLinearInputs ? recipe.precision.linearInputBytes : a
        // Eager kernels save more of the norms and the gated activation (`EagerSavedActivations`).
        let normInputs = 2 * a * h + EagerSavedActivations.normBytesPerToken(geometry: g, recipe: recipe)
        let linearInputs = 2 * q * h
        let masks = 2 * mask * h
        let replicated = normInputs + linearInputs + masks
        let attentionOutputWidth = g.heads * g.vHeadDim
        var split = a * (g.queryWidth + t * g.keyValueWidthPerRank(tp: layout.tp)) + q * attentionOutputWidth
            + EagerSavedActivations.repeatedKeyValueBytesPerToken(geometry: g, recipe: recipe)
            + EagerSavedActivations.fusedQKVOutputBytesPerToken(geometry: g, recipe: recipe)
        let gatedFactor = g.mlpMatrices == 3 ? 2.0 : 1.0
        if moe {
            let k = g.expertsPerToken
            // Router logits and probabilities in fp32, replicated over TP.
            split += 8 * g.experts * t
            // Each token's k dispatched copies, their first-projection output(s) and activation.
            split += k * (q * h + a * g.expertFFN * gatedFactor + q * g.expertFFN)
            if g.sharedExpertFFN > 0 {
                split += a * g.sharedExpertFFN * gatedFactor + q * g.sharedExpertFFN
            }
            split += EagerSavedActivations.gatedActivationBytesPerToken(
                geometry: g, width: k * g.expertFFN + g.sharedExpertFFN, recipe: recipe)
        } else {
            split += a * g.ffn * gatedFactor + q * g.ffn
                + EagerSavedActivations.gatedActivationBytesPerToken(geometry: g, width: g.ffn, recipe: recipe)
        }
        var core: Double
        if recipe.recompute == .selective || recipe.effectiveFlashAttention {
            core = 4 * g.heads
        } else {
            core = (a + mask + a) * g.heads * keyLength
        }
        core /= t
        // Sequence parallelism splits them by TP, except the gathered linear inputs a
        // framework keeps whole (`FrameworkProfile.savesGatheredLinearInputs`).
        let keepsGathered = recipe.framework.profile.savesGatheredLinearInputs
        let replicatedShare = layout.sequenceParallel
            ? (normInputs + masks) / t + (keepsGathered ? linearInputs : linearInputs / t) : replicated
        return replicatedShare + split / t + core
    }

    /// Bytes one layer keeps per token under full recomputation: its input (2h), split by TP
    /// only with sequence parallelism (Korthikanti et al. 2022, Table 2: 2sbhL, or 2sbhL/t).
    public static func fullRecomputeBytesPerTokenPerLayer(geometry g: LayerGeometry, layout: ParallelLayout,
                                                           recipe: TrainingRecipe) -> Double {
        let input = recipe.savedActivationBytes * g.hidden
        return layout.sequenceParallel ? input / Double(layout.tp) : input
    }

    /// Bytes one layer keeps per token under a JAX remat policy (`RematPolicy.keptElementsPerToken`),
    /// with the widths one rank holds: the layer input (split by TP under sequence parallelism,
    /// as MaxText shards it over the tensor axis), Q/K/V (K/V whole heads when replicated), the
    /// context, the MLP input projection(s) and activation, split by TP. MoE layers count their
    /// routed tokens' expert widths.
    public static func rematBytesPerTokenPerLayer(geometry g: LayerGeometry, moe: Bool, layout: ParallelLayout,
                                                  recipe: TrainingRecipe, policy: RematPolicy) -> Double {
        let t = Double(layout.tp)
        let gated = g.mlpMatrices == 3 ? 2.0 : 1.0
        let mlpWidth = moe ? g.expertsPerToken * g.expertFFN + g.sharedExpertFFN : g.ffn
        let widths = RematPolicy.Widths(
            hidden: layout.sequenceParallel ? g.hidden / t : g.hidden,
            qkv: g.queryWidth / t + g.keyValueWidthPerRank(tp: layout.tp),
            context: g.heads * g.vHeadDim / t, mlpIn: mlpWidth * gated / t, mlpActivation: mlpWidth / t,
            parallelBlock: g.parallelBlock)
        return recipe.savedActivationBytes * policy.keptElementsPerToken(widths)
    }

    /// Layer-micro-batches whose activations stage `stage` holds at its peak, in units of
    /// (one layer of this stage) x (one micro-batch):
    /// - GPipe: all m micro-batches;
    /// - 1F1B: stage i keeps p - i in flight (Narayanan et al. 2021, section 2.2.1);
    /// - interleaved 1F1B with v chunks: 2(p - i - 1) + (v - 1)p + 1 chunk-micro-batches of
    ///   L/(pv) layers (Megatron's warm-up count), which for stage 0 is the
    ///   L(1 + (p-1)/(pv)) of Korthikanti et al. 2022, section 4.2.3.
    public static func layerMicroBatchesInFlight(stage: Int, layout: ParallelLayout, layersOnStage: Int) -> Double {
        let p = layout.pp
        let m = max(layout.microBatchesPerReplica, 1)
        let layers = Double(layersOnStage)
        switch layout.schedule {
        case .gpipe:
            return Double(m) * layers
        case .oneForwardOneBackward:
            if layout.vpp > 1 {
                let v = layout.vpp
                let chunks = min(2 * (p - stage - 1) + (v - 1) * p + 1, m * v)
                return Double(chunks) * layers / Double(v)
            }
            return Double(min(p - stage, m)) * layers
        }
    }

    /// Micro-batches in flight on a stage (for per-micro-batch buffers such as the embedding output).
    public static func microBatchesInFlight(stage: Int, layout: ParallelLayout) -> Double {
        let m = max(layout.microBatchesPerReplica, 1)
        switch layout.schedule {
        case .gpipe: return Double(m)
        case .oneForwardOneBackward:
            if layout.vpp > 1 {
                let chunks = min(2 * (layout.pp - stage - 1) + (layout.vpp - 1) * layout.pp + 1, m * layout.vpp)
                return Double(chunks) / Double(layout.vpp)
            }
            return Double(min(layout.pp - stage, m))
        }
    }
}

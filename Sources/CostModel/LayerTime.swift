import Hardware

/// Time of one transformer layer for one micro-batch on one GPU, split the way the schedule
/// and the overlap rules need it. All seconds.
public struct LayerTime: Sendable, Hashable {
    /// Forward GEMMs, attention core and memory-bound kernels.
    public var forward: Double = 0
    /// Backward: twice the forward GEMMs (input and weight gradients), the attention core's
    /// backward and the memory-bound kernels' backward.
    public var backward: Double = 0
    /// The part of the forward that the recomputation policy runs again before the backward.
    public var recompute: Double = 0
    /// TP collectives of the forward (and of the recomputed forward, for full recomputation)
    /// and of the backward.
    public var tpCommForward: Double = 0
    public var tpCommBackward: Double = 0
    /// Expert-parallel all-to-all (dispatch + combine) of the forward and of the backward.
    public var epCommForward: Double = 0
    public var epCommBackward: Double = 0
    /// Context-parallel K/V ring exchange left exposed after overlap with attention.
    public var cpCommForward: Double = 0
    public var cpCommBackward: Double = 0
    /// Forward linear-layer GEMM time, the work TP communication can hide behind when overlapped.
    public var linearForward: Double = 0
    /// FLOPs of those forward linear-layer GEMMs (what a frozen layer's skipped weight-gradient
    /// GEMMs would have cost again, `FineTuneTime`).
    public var linearForwardFLOPs: Double = 0
    /// Forward seconds of writing the column-wise (transposed) low-precision copy of every linear
    /// layer's input under an 8- or 4-bit recipe, part of `forward`: only the weight-gradient GEMM
    /// reads it, so a frozen layer skips it (`FineTuneTime`; Transformer Engine's `_Linear.forward`
    /// casts without the transpose when `weight.requires_grad` is false).
    public var weightGradientInputCopy: Double = 0
    /// Model FLOPs of the layer (forward + backward, no recomputation), for MFU.
    public var modelFLOPs: Double = 0
    /// Hardware FLOPs including recomputation, for HFU.
    public var hardwareFLOPs: Double = 0

    public init() {}
}

/// Builds `LayerTime` from the layer's GEMM shapes (Narayanan et al. 2021, section 5.1: the
/// 24bsh^2 + 4bs^2h forward FLOPs of a GPT layer, generalised to GQA/MLA/gated/MoE widths) and
/// its memory-bound kernels' bytes.
public enum LayerTimeModel {
    public static func layer(geometry g: LayerGeometry, moe: Bool, layout: ParallelLayout, recipe: TrainingRecipe,
                             cluster: ClusterTopology, placement: RankPlacement) -> LayerTime {
        let acc = cluster.accelerator
        let t = Double(layout.tp)
        let cp = Double(layout.cp)
        let tokens = Double(layout.microBatch) * Double(layout.seq) / cp
        let h = g.hidden
        var time = LayerTime()

        // Linear layers: (M = tokens, N, K) forward GEMMs in the recipe's GEMM format. Under an
        // 8- or 4-bit recipe every linear GEMM's inputs are quantised first: the activation
        // (M x K) and the weight (K x N) before the forward, the output gradient (M x N) before
        // the backward (`Precision.quantisationBytesPerElement`).
        let format = recipe.precision.linearMatmulFormat
        var quantisedForward = 0.0
        var quantisedBackward = 0.0
        var quantisedInputs = 0.0
        func linearGEMM(m: Double, n: Double, k: Double, batch: Double = 1) -> Double {
            quantisedForward += batch * (m * k + k * n)
            quantisedInputs += batch * m * k
            quantisedBackward += batch * m * n
            return MatmulTime.seconds(m: m, n: n, k: k, batch: batch, format: format, accelerator: acc)
        }
        // K and V are computed whole on every rank when tp exceeds the K/V heads
        // (`LayerGeometry.keyValueWidthPerRank`); the copies are hardware FLOPs, not model FLOPs.
        let attentionOutputWidth = g.heads * g.vHeadDim
        let qkv: Double
        // FLOPs of the Q/K/V projections this rank runs, the model's share of them (per rank),
        // and the work duplicated on every TP rank beyond that share (hardware FLOPs only).
        let qkvFLOPs: Double
        let qkvModelFLOPs: Double
        let replicatedKeyValueFLOPs: Double
        if let latent = g.latent {
            // MLA as Megatron-Core runs it (`MLASelfAttention`): the down projections to the
            // latents duplicated on every TP rank, the up projections column-parallel.
            let queryInput = latent.queryRank > 0 ? latent.queryRank : h
            let upWidth = g.heads * (latent.nopeHeadDim + g.vHeadDim)
            qkv = (latent.queryRank > 0 ? linearGEMM(m: tokens, n: latent.queryRank, k: h) : 0)
                + linearGEMM(m: tokens, n: g.queryWidth / t, k: queryInput)
                + linearGEMM(m: tokens, n: latent.keyValueRank + latent.ropeHeadDim, k: h)
                + linearGEMM(m: tokens, n: upWidth / t, k: latent.keyValueRank)
            let down = 2 * tokens * h * (latent.queryRank + latent.keyValueRank + latent.ropeHeadDim)
            let up = 2 * tokens * (queryInput * g.queryWidth + latent.keyValueRank * upWidth)
            qkvFLOPs = down + up / t
            qkvModelFLOPs = (down + up) / t
            replicatedKeyValueFLOPs = down * (1 - 1 / t)
        } else {
            let qkvWidthPerRank = g.queryWidth / t + g.keyValueWidthPerRank(tp: layout.tp)
            qkv = linearGEMM(m: tokens, n: qkvWidthPerRank, k: h)
            qkvFLOPs = 2 * tokens * h * qkvWidthPerRank
            qkvModelFLOPs = 2 * tokens * h * (g.queryWidth + g.keyWidth + g.valueWidth) / t
            replicatedKeyValueFLOPs = 2 * tokens * h * (g.keyValueWidthPerRank(tp: layout.tp) - (g.keyWidth + g.valueWidth) / t)
        }
        let outProjection = linearGEMM(m: tokens, n: h, k: attentionOutputWidth / t)
        var linear = qkv + outProjection
        var linearFLOPs = qkvModelFLOPs + 2 * tokens * h * attentionOutputWidth / t
        let outProjectionFLOPs = 2 * tokens * h * attentionOutputWidth / t
        // The MLP's input projection(s) (and router): what a remat policy recomputes of the MLP.
        var mlpInput = 0.0
        var mlpInputFLOPs = 0.0
        let gated = g.mlpMatrices == 3 ? 2.0 : 1.0
        var mlpWidthPerToken: Double  // intermediate activations per token, for memory-bound ops
        // The experts' output bias added after the grouped GEMM (`ExpertBiasTraffic`) and the GLU
        // clamp before their activation (`ClampedGLUTraffic`), both eager in Megatron-Core.
        var expertBias = (forward: 0.0, backward: 0.0)
        var gluClamp = (forward: 0.0, backward: 0.0)
        if moe {
            let e = Double(layout.ep)
            let localExperts = max(g.experts / e, 1)
            // Balanced routing: each expert sees tokens x k x ep / experts rows.
            let rows = tokens * g.expertsPerToken * e / max(g.experts, 1)
            mlpInput += linearGEMM(m: rows, n: g.expertFFN * gated / t, k: h, batch: localExperts)
            linear += linearGEMM(m: rows, n: h, k: g.expertFFN / t, batch: localExperts)
            // The router stays in 16 bits (Transformer Engine and torchao quantise experts only).
            mlpInput += MatmulTime.seconds(m: tokens, n: g.experts, k: h, accelerator: acc)
            mlpInputFLOPs += 2 * tokens * g.expertsPerToken * h * g.expertFFN * gated / t + 2 * tokens * h * g.experts
            linearFLOPs += 2 * tokens * g.expertsPerToken * h * g.expertFFN * (gated + 1) / t
                + 2 * tokens * h * g.experts
            mlpWidthPerToken = g.expertsPerToken * g.expertFFN
            expertBias = ExpertBiasTraffic.seconds(rows: tokens * g.expertsPerToken, hidden: h, geometry: g,
                                                   recipe: recipe, accelerator: acc)
            gluClamp = ClampedGLUTraffic.seconds(elements: tokens * g.expertsPerToken * g.expertFFN * gated / t, geometry: g,
                                                 recipe: recipe, accelerator: acc)
            if g.sharedExpertFFN > 0 {
                mlpInput += linearGEMM(m: tokens, n: g.sharedExpertFFN * gated / t, k: h)
                linear += linearGEMM(m: tokens, n: h, k: g.sharedExpertFFN / t)
                mlpInputFLOPs += 2 * tokens * h * g.sharedExpertFFN * gated / t
                linearFLOPs += 2 * tokens * h * g.sharedExpertFFN * (gated + 1) / t
                mlpWidthPerToken += g.sharedExpertFFN
            }
            // Expert-parallel all-to-all: dispatch and combine of k copies of each token.
            if layout.ep > 1 {
                let bytes = tokens * g.expertsPerToken * h * recipe.precision.activationBytes / t
                let a2a = CollectiveCost.seconds(.allToAll, bytes: bytes, group: placement.expertGroup, cluster: cluster)
                time.epCommForward = 2 * a2a
                time.epCommBackward = 2 * a2a
            }
        } else {
            mlpInput = linearGEMM(m: tokens, n: g.ffn * gated / t, k: h)
            linear += linearGEMM(m: tokens, n: h, k: g.ffn / t)
            mlpInputFLOPs = 2 * tokens * h * g.ffn * gated / t
            linearFLOPs += 2 * tokens * h * g.ffn * (gated + 1) / t
            mlpWidthPerToken = g.ffn
        }
        linear += mlpInput

        // Attention core: QK^T and attention x V as batched GEMMs over (micro-batch x heads/t).
        // Under packing with document masking each query sees its own document's keys only
        // (`TrainingRecipe.packedDocumentTokens`): s x d per sequence instead of s x s.
        let headsPerGPU = g.heads / t
        let keys = recipe.attentionKeys(seq: layout.seq)
        let batch = Double(layout.microBatch) * headsPerGPU
        let queries = Double(layout.seq) / cp
        // Under CP each ring step's kernel sees one rank's chunk of the keys.
        let core = AttentionCoreTime.layerMean(queries: queries, keys: keys, geometry: g, batch: batch,
                                               recipe: recipe, accelerator: acc, kernelKeys: keys / cp)
        let coreFLOPs = core.flops
        let coreForward = core.forward
        let coreBackward = core.backward

        // Memory-bound kernels (`KernelTraffic` of the framework): two norms and two residual
        // adds on [tokens, h], replicated over TP unless sequence parallelism splits them; the
        // activation function on the MLP width; rotary embedding on Q and K; per-head norms on
        // Q and K (and V) where the model has them.
        let kernels = recipe.kernels
        let hiddenTokens = tokens * h / (layout.sequenceParallel ? t : 1)
        let normBytes = g.norm == .rmsnorm ? kernels.rmsNorm : kernels.layerNorm
        let headNormWidth = (g.qkNorm ? g.queryWidth + g.keyWidth : 0) + (g.valueNorm ? g.valueWidth : 0)
        let rotaryElements = tokens * (g.queryWidth + g.keyWidth) / t
        // YaRN's attention factor sends Megatron-Core's RoPE down its eager path (`UnfusedRotaryTraffic`),
        // priced apart from the fused kernels' bytes.
        let eagerRotary = UnfusedRotaryTraffic.applies(geometry: g, recipe: recipe)
        let unfusedRotary = eagerRotary ? UnfusedRotaryTraffic.seconds(elements: rotaryElements, accelerator: acc)
            : (forward: 0, backward: 0)
        let perOp = ElementwiseOps.PerOpBytes(
            norm: hiddenTokens * normBytes,
            residualAdd: hiddenTokens * kernels.residualAdd,
            activation: (gated == 2 ? kernels.gatedActivation : kernels.plainActivation) * tokens * mlpWidthPerToken / t,
            rotary: g.rotary && !eagerRotary ? kernels.rotary * rotaryElements : 0,
            headNorms: normBytes * tokens * headNormWidth / t)
        let elementwise = MatmulTime.memoryBoundSeconds(bytes: ElementwiseOps.layerForward.bytes(perOp), accelerator: acc)
        let quantisation = recipe.precision.quantisationBytesPerElement > 0
            ? recipe.precision.quantisationBytesPerElement + kernels.quantisationExtra : 0
        let quantiseForward = MatmulTime.memoryBoundSeconds(bytes: quantisation * quantisedForward, accelerator: acc)
        let quantiseBackward = MatmulTime.memoryBoundSeconds(bytes: quantisation * quantisedBackward, accelerator: acc)
        let launches = CostModelConstants.kernelLaunchSeconds * CostModelConstants.kernelsPerLayerForward
        if quantisation > 0 {
            // Of the quantisation's bytes per element, the one low-precision copy of the input
            // that only the weight-gradient GEMM reads.
            time.weightGradientInputCopy = MatmulTime.memoryBoundSeconds(
                bytes: recipe.precision.linearInputBytes * quantisedInputs, accelerator: acc)
        }

        time.linearForward = linear
        time.linearForwardFLOPs = linearFLOPs
        time.forward = linear + coreForward + elementwise + expertBias.forward + gluClamp.forward + unfusedRotary.forward
            + quantiseForward + launches
        time.backward = 2 * linear + coreBackward
            + CostModelConstants.backwardElementwiseByteFactor * elementwise + expertBias.backward + gluClamp.backward
            + unfusedRotary.backward
            + quantiseBackward + 2 * launches
        let remat = recipe.effectiveRemat.map { $0.recomputed(parallelBlock: g.parallelBlock) }
            ?? (recipe.usesSelectiveOpCheckpoint ? SelectiveOpCheckpoint.recomputed(geometry: g) : nil)
        if let remat {
            // A per-tensor policy (a JAX `RematPolicy`, torchtitan's `SelectiveOpCheckpoint`):
            // the recomputed shares of the matmuls and the core, and the memory-bound ops the
            // policy re-runs (`ElementwiseOps`), priced as the forward prices them.
            let matmuls = remat.qkv * qkv + (remat.outProj ? outProjection : 0) + remat.mlpIn * mlpInput
            time.recompute = matmuls + (remat.attentionCore ? coreForward : 0)
                + MatmulTime.memoryBoundSeconds(bytes: remat.elementwise.bytes(perOp), accelerator: acc)
        } else {
            switch recipe.recompute {
            case .none: time.recompute = 0
            case .selective: time.recompute = coreForward
            case .full: time.recompute = time.forward
            }
            if recipe.recompute != .full, let modules = recipe.recomputeModules {
                // Megatron-Core's `recompute_modules` (`RecomputeModule`): the pre-MLP norm and the
                // routed experts' activation (with its clamp) of an MoE layer.
                let norm = MatmulTime.memoryBoundSeconds(bytes: perOp.norm, accelerator: acc)
                let activation = MatmulTime.memoryBoundSeconds(
                    bytes: (gated == 2 ? kernels.gatedActivation : kernels.plainActivation)
                        * tokens * g.expertsPerToken * g.expertFFN / t, accelerator: acc) + gluClamp.forward
                time.recompute += RecomputeModule.seconds(modules, moe: moe, norm: norm, activation: activation)
            }
        }

        // TP: two all-reduces per layer in forward and two in backward (Megatron's f and g
        // operators), or all-gather + reduce-scatter of the same bytes with sequence parallelism
        // (Korthikanti et al. 2022, section 4.2.2). Full recomputation repeats the forward ones.
        if layout.tp > 1 {
            let bytes = tokens * h * recipe.precision.activationBytes
            let group = placement.tensorGroup
            // Collective sites per layer: attention and MLP each gather their input and reduce
            // their output; a parallel block (PaLM, section 2: attention and MLP input matmuls
            // fused, their outputs summed) has one of each.
            let sites = g.parallelBlock ? 1.0 : 2.0
            // The recomputed forward repeats the collectives of what it recomputes: everything
            // under Megatron's full recomputation; under a remat policy the input gathers of the
            // recomputed projections (one shared gather in a parallel block) and the attention
            // output's reduction when the output projection is recomputed.
            let recomputedGathers: Double
            let recomputedReductions: Double
            if let remat {
                recomputedGathers = g.parallelBlock ? ((remat.qkv > 0 || remat.mlpIn > 0) ? 1 : 0)
                    : (remat.qkv > 0 ? 1 : 0) + (remat.mlpIn > 0 ? 1 : 0)
                recomputedReductions = remat.outProj ? 1 : 0
            } else {
                recomputedGathers = recipe.recompute == .full ? sites : 0
                recomputedReductions = recipe.recompute == .full ? sites : 0
            }
            if layout.sequenceParallel {
                // Forward: all-gather before QKV and fc1, reduce-scatter after the output
                // projection and fc2. Backward: the mirror image, plus the all-gathers that
                // re-gather the norm outputs for the weight gradients (Megatron keeps only the
                // sequence-split copy; Korthikanti et al. 2022, section 4.2.2), which a framework
                // that saves the gathered inputs skips (`savesGatheredLinearInputs`).
                let gather = CollectiveCost.seconds(.allGather, bytes: bytes, group: group, cluster: cluster)
                let scatter = CollectiveCost.seconds(.reduceScatter, bytes: bytes, group: group, cluster: cluster)
                time.tpCommForward = sites * (gather + scatter) + recomputedGathers * gather + recomputedReductions * scatter
                let regathers = recipe.framework.profile.savesGatheredLinearInputs ? 0 : sites
                time.tpCommBackward = sites * (gather + scatter) + regathers * gather
            } else {
                // Megatron's f and g operators: an all-reduce after each output projection in the
                // forward, before each input projection in the backward.
                let reduce = CollectiveCost.seconds(.allReduce, bytes: bytes, group: group, cluster: cluster)
                time.tpCommForward = (sites + recomputedReductions) * reduce
                time.tpCommBackward = sites * reduce
            }
        }

        // CP: ring exchange of K and V blocks, (cp - 1) steps forward, twice in backward (K/V and
        // their gradients), overlapped with the attention blocks (Liu et al. 2023, Ring Attention).
        if layout.cp > 1 {
            let kvBytes = 2 * tokens * g.keyWidth / t * recipe.precision.activationBytes
            let ring = CollectiveCost.seconds(.allGather, bytes: kvBytes * cp, group: placement.contextGroup, cluster: cluster)
            time.cpCommForward = CostModelConstants.exposedAfterOverlap(ring, window: coreForward)
            time.cpCommBackward = CostModelConstants.exposedAfterOverlap(2 * ring, window: coreBackward)
        }

        time.modelFLOPs = 3 * (linearFLOPs + coreFLOPs)
        var recomputeFLOPs: Double
        if let remat {
            recomputeFLOPs = remat.qkv * qkvFLOPs + (remat.outProj ? outProjectionFLOPs : 0)
                + remat.mlpIn * mlpInputFLOPs + (remat.attentionCore ? coreFLOPs : 0)
        } else {
            switch recipe.recompute {
            case .none: recomputeFLOPs = 0
            case .selective: recomputeFLOPs = coreFLOPs
            case .full: recomputeFLOPs = linearFLOPs + coreFLOPs + replicatedKeyValueFLOPs
            }
        }
        time.hardwareFLOPs = time.modelFLOPs + recomputeFLOPs + 3 * replicatedKeyValueFLOPs
        return time
    }
}

extension LayerTimeModel {
    /// The times of a dense layer and (for MoE models) of an MoE layer under one layout: the two
    /// kinds of layer every stage is made of.
    public static func layers(geometry g: LayerGeometry, layout: ParallelLayout, recipe: TrainingRecipe, cluster: ClusterTopology,
                              placement: RankPlacement) -> (dense: LayerTime, moe: LayerTime) {
        let dense = FineTuneTime.adjusted(
            layer(geometry: g, moe: false, layout: layout, recipe: recipe, cluster: cluster, placement: placement),
            geometry: g, kind: .dense, layout: layout, recipe: recipe, cluster: cluster)
        let moe = g.moeLayers > 0
            ? FineTuneTime.adjusted(
                layer(geometry: g, moe: true, layout: layout, recipe: recipe, cluster: cluster, placement: placement),
                geometry: g, kind: .moe, layout: layout, recipe: recipe, cluster: cluster) : LayerTime()
        return (dense, moe)
    }
}

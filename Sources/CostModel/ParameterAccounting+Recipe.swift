/// The recipe's memory semantics beyond mixed-precision Adam, applied to every parameter group
/// of a `ParameterAccounting`:
/// - pure 16-bit training (`TrainingRecipe.masterWeights == false`, torchtune's bf16): no fp32
///   master copy, gradients and optimizer moments in the parameters' dtype
///   (`OptimizerKind.momentBytes(parameterBytes:)`);
/// - QLoRA: the frozen layer matrices in NF4 (`NF4Storage`, about 4.127 bits, 4.5 without double
///   quantisation), the norms, biases and embeddings at their dtype (Dettmers et al. 2023;
///   bitsandbytes quantises `nn.Linear` layers only, and not the output layer unless the recipe
///   says so, `TrainingRecipe.quantisedOutputLayer`), in fp32 when the recipe says PEFT's
///   `prepare_model_for_kbit_training` upcast them (`TrainingRecipe.fp32UnquantizedWeights`);
/// - paged optimizers: their states in host memory (`OptimizerKind.isPaged`);
/// - `--offload optimizer` (ZeRO-Offload, Ren et al. 2021, Figure 2): master weights, optimizer
///   states and the 16-bit gradients in host memory; `--offload all` also the 16-bit weights:
///   DeepSpeed keeps at most `CostModelConstants.offloadMaxLiveParameters` of them on the GPU;
///   FSDP (and torchtitan) the unit it computes and the one it prefetches (two of the largest
///   unit, a layer or the embedding table) and two units' unsharded gradients: the unit being
///   differentiated and the reduce-scatter input of the unit before it, which FSDP2's
///   `FSDPParamGroup.post_backward` keeps (`comm_ctx.reduce_scatter_state`) until the next
///   unit's post-backward so the caching allocator cannot reuse it while the reduce-scatter
///   reads it (Zhao et al. 2023, PyTorch FSDP, section 3.3; torch `_fsdp_param_group.py`;
///   `FSDPUnitMemory.heldGradientUnits`);
/// - bf16 optimizer states (`SixteenBitOptimizerState`): bf16 moments and gradients, the master
///   copy the framework keeps beside them;
/// - optimizer fused into the backward: no gradient buffer, one tensor's gradient at a time;
/// - a stated reduction dtype (`GradientReduceDtype`): the data-parallel reduction's bytes.
/// Host bytes are per GPU, after ZeRO sharding (each rank's host keeps its shard).
extension ParameterAccounting {
    mutating func applyRecipe(_ recipe: TrainingRecipe, params: StageParameters) {
        let precision = recipe.precision
        let quantized = recipe.fineTuning.method == .qlora
        let pagedAdapterFraction = params.adapter > 0 ? min(max(params.pagedAdapter / params.adapter, 0), 1) : 1
        // PEFT's `prepare_model_for_kbit_training`: what stays unquantised is upcast to fp32.
        let unquantizedBytes: Double? = quantized && recipe.fp32UnquantizedWeights == true ? Precision.fp32.weightBytes : nil
        var hostBytes = 0.0
        var anyBaseTrainable = false
        func apply(_ group: inout ParameterGroup, matrices: Double) {
            guard group.count > 0 else { return }
            if quantized && group.kind != .adapter {
                let fraction = min(max(matrices / group.count, 0), 1)
                group.weightBytesPerParameter = fraction * NF4Storage.bytesPerWeight(recipe: recipe)
                    + (1 - fraction) * (unquantizedBytes ?? group.weightBytesPerParameter)
                group.storedWeightBytesPerParameter = group.weightBytesPerParameter
            }
            if group.trainable {
                if group.kind != .adapter { anyBaseTrainable = true }
                if let sixteenBit = SixteenBitOptimizerState(recipe: recipe) {
                    group.gradientBytesPerParameter = sixteenBit.gradientBytes
                    group.gradientReduceBytesPerParameter = sixteenBit.gradientBytes
                    group.optimizerBytesPerParameter = sixteenBit.stateBytesPerParameter
                }
                if !recipe.keepsMasterWeights {
                    group.gradientBytesPerParameter = precision.gradientBytes
                    group.gradientReduceBytesPerParameter = precision.gradientBytes
                    group.optimizerBytesPerParameter = recipe.optimizer.momentBytes(parameterBytes: group.weightBytesPerParameter)
                }
                if recipe.offload != .none {
                    group.hostBytesPerParameter += group.optimizerBytesPerParameter
                    group.optimizerBytesPerParameter = 0
                } else if recipe.optimizer.isPaged {
                    // Paged states in unified memory, but only of tensors large enough to be
                    // paged (`CostModelConstants.pagedStateMinimumElements`): the adapters' small
                    // matrices keep theirs on the GPU. Base layers' matrices are all large.
                    let paged = group.kind == .adapter ? pagedAdapterFraction : 1
                    group.hostBytesPerParameter += paged * group.optimizerBytesPerParameter
                    group.optimizerBytesPerParameter *= 1 - paged
                }
                if recipe.offload != .none {
                    group.hostBytesPerParameter += precision.gradientBytes
                    group.gradientBytesPerParameter = 0
                }
                if recipe.optimizerInBackward { group.gradientBytesPerParameter = 0 }
                if let reduce = recipe.gradientReduceDtype { group.gradientReduceBytesPerParameter = reduce.bytes }
            }
            if recipe.offload == .all { group.hostBytesPerParameter += group.weightBytesPerParameter }
            hostBytes += group.keptParameters(shardedFrom: 1) * group.hostBytesPerParameter
        }
        apply(&dense, matrices: params.denseMatrices)
        apply(&expert, matrices: params.expert)
        // The output layer in NF4 where the recipe quantises it (`NF4Dequantisation`).
        apply(&embedding, matrices: NF4Dequantisation.quantisesOutputLayer(recipe: recipe, tiedEmbeddings: params.outputLayerTied)
            ? params.outputLayer : 0)
        apply(&adapter, matrices: 0)
        host.bytes = hostBytes
        if recipe.offload == .all {
            switch recipe.framework {
            case .fsdp, .torchtitan:
                host.liveWeightCap = 2 * params.largestUnit * dense.weightBytesPerParameter
                if anyBaseTrainable {
                    host.transientGradientBytes = FSDPUnitMemory.heldGradientUnits * params.largestUnit * precision.gradientBytes
                }
            default:
                host.liveWeightCap = DeepSpeedZeRO3Buffers.liveParameters(stageParameters: params.total,
                                                                          largestTensor: params.largestTensor)
                    * dense.weightBytesPerParameter
                    + DeepSpeedZeRO3Buffers.gatherStagingBytes(largestTensor: params.largestTensor, shards: dense.shards,
                                                               weightBytes: dense.weightBytesPerParameter)
            }
        }
        if recipe.optimizerInBackward && anyBaseTrainable && recipe.offload == .none {
            host.transientGradientBytes = params.largestTensor * precision.gradientBytes
        }
        if recipe.offload == .none {
            host.gatheredWeightBytes = ZeRO3GatheredWeights.bytes(
                framework: recipe.framework, zero: zero, stageParameters: params.total, largestUnit: params.largestUnit,
                largestTensor: params.largestTensor, weightBytes: dense.weightBytesPerParameter, shards: dense.shards)
        }
        let anyTrainable = sum { $0.trainable && $0.count > 0 ? 1 : 0 } > 0
        host.gradientBucketBytes = DeepSpeedZeRO3Buffers.gradientBucketBytes(
            framework: recipe.framework, zero: zero, anyTrainable: anyTrainable, weightBytes: precision.weightBytes)
    }
}

/// What a stage keeps in host memory, and the GPU-side effects of offloading.
public struct HostStateMemory: Sendable, Hashable {
    /// Bytes per GPU in host (CPU) memory: offloaded or paged states.
    public var bytes: Double = 0
    /// Most bytes of weights the GPU holds under parameter offload (nil: all of its share).
    public var liveWeightCap: Double?
    /// Weights gathered whole beside the shards under ZeRO-3 / FSDP without offload, bytes
    /// (`ZeRO3GatheredWeights`).
    public var gatheredWeightBytes: Double = 0
    /// The one gradient an optimizer fused into the backward holds at a time, bytes.
    public var transientGradientBytes: Double = 0
    /// DeepSpeed ZeRO-3's gradient bucket, bytes (`DeepSpeedZeRO3Buffers`). Like
    /// `gatheredWeightBytes` a working buffer beside the model states (Rajbhandari et al. 2020
    /// count neither), added by `MemoryModel`.
    public var gradientBucketBytes: Double = 0

    public init() {}
}

extension FineTuning {
    /// The base parameter classes the method freezes.
    public var frozenClasses: Set<ParameterClass> {
        switch method {
        case .full: return []
        case .freeze: return [.embedding]
        case .lora, .qlora: return [.dense, .expert, .embedding]
        }
    }
}

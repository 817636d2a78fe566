import Testing
@testable import CostModel
import Hardware
import Workloads

/// torchtitan's memory mechanisms under tensor, pipeline and context parallelism, each against a
/// byte count written out here from the code it follows (torchtitan @9dec370 and PyTorch's
/// `loss.py`, pipelining `stage.py` and ring attention `_attention.py`) and Llama 3.1's published
/// shapes: 405B (h 16384, 128 heads of 128, vocabulary 128256), 8B (h 4096, 32 heads of 128).
@Suite struct TorchtitanPipelineMemoryTests {
    let titan = TrainingRecipe(framework: .torchtitan, precision: .fp8, recompute: .full).resolved

    func llama405B() throws -> LayerGeometry {
        LayerGeometry(model: try ModelCatalog.preset(named: "llama-3.1-405b"))
    }

    /// The 405B 3D benchmark layout: TP 8 with sequence parallelism, PP 8, DP 8, micro-batch 4
    /// of 8192 tokens, global batch 256: m = 256 / (8 x 4) = 8 micro-batches.
    func layout405B(vpp: Int = 1) -> ParallelLayout {
        ParallelLayout(tp: 8, pp: 8, dp: 8, vpp: vpp, zero: 3, sequenceParallel: true, microBatch: 4, globalBatch: 256, seq: 8192)
    }

    /// DTensor's loss-parallel cross entropy: forward bf16 logits 2 + fp32 copy 4 + shifted 4 +
    /// exp 4 = 14; backward saved log-softmax 4 + zeros_like grad_input 4 + exp(x) 4 + their sum
    /// 4 = 16, the peak. Without TP torchtitan's plain eager loss peaks at 12; Megatron's fused
    /// vocab-parallel loss keeps 4 at any TP.
    @Test func lossParallelPeaksAtSixteenBytesPerLogit() {
        let forward: Double = 2 + 4 + 4 + 4
        let backward: Double = 4 + 4 + 4 + 4
        #expect(FrameworkProfile.torchtitan.peakLossBytesPerLogit(tp: 8) == max(forward, backward))
        #expect(FrameworkProfile.torchtitan.peakLossBytesPerLogit(tp: 1) == 12)
        #expect(FrameworkProfile.megatronCore.peakLossBytesPerLogit(tp: 8) == 4)
    }

    /// One stage boundary tensor: 4 x 8192 = 32,768 tokens x 2 bytes x 16384 / 8 = 134,217,728;
    /// one micro-batch's local logits: 32,768 x 2 x 128256 / 8 = 1,050,673,152.
    /// - stage 0 (8 in flight): 8 outputs + 8 gradient receive buffers = 16 boundaries;
    /// - stage 3 (5 in flight): 8 + 8 + (8 - 5) activation receive buffers + 3 input gradients = 22;
    /// - the last stage (1 in flight): 8 logits + 7 receive buffers + 7 input gradients.
    @Test func pipelineStagesKeepEveryMicroBatchsBuffers() throws {
        let g = try llama405B()
        let layout = layout405B()
        #expect(layout.microBatchesPerReplica == 8)
        let boundary: Double = 134_217_728
        let logits: Double = 1_050_673_152
        let tokens: Double = 32_768
        #expect(tokens * 2 * 16_384 / 8 == boundary)
        #expect(tokens * 2 * 128_256 / 8 == logits)
        func buffers(_ stage: Int) -> Double {
            PipelineStageBuffers.bytes(stage: stage, geometry: g, layout: layout, recipe: titan)
        }
        let first: Double = 16 * boundary
        let middle: Double = 22 * boundary
        let last: Double = 8 * logits + 14 * boundary
        #expect(buffers(0) == first)
        #expect(buffers(3) == middle)
        #expect(buffers(7) == last)
        // Megatron's schedule keeps none of these; without PP there is no pipeline runtime.
        let megatron = TrainingRecipe(framework: .megatronCore, recompute: .full).resolved
        #expect(PipelineStageBuffers.bytes(stage: 0, geometry: g, layout: layout, recipe: megatron) == 0)
        var single = layout
        single.pp = 1
        #expect(PipelineStageBuffers.bytes(stage: 0, geometry: g, layout: single, recipe: titan) == 0)
    }

    /// Interleaved 1F1B with 2 local stages per rank: the last rank holds stages 7 and 15, 9
    /// chunk-micro-batches in flight (2(8 - 7 - 1) + (2 - 1)8 + 1). Stage 7 caches 8 boundary
    /// outputs and has 8 gradient receive buffers, stage 15 caches 8 logits; the 16 activation
    /// receive buffers of both, less the 9 in flight, and as many input gradients: 7 + 7.
    @Test func interleavedRanksKeepBuffersForEachLocalStage() throws {
        let g = try llama405B()
        let boundary: Double = 134_217_728
        let logits: Double = 1_050_673_152
        let bytes = PipelineStageBuffers.bytes(stage: 7, geometry: g, layout: layout405B(vpp: 2), recipe: titan)
        let expected: Double = 30 * boundary + 8 * logits
        #expect(bytes == expected)
    }

    /// Ring attention's all-gather rotation: cp x the local keys and values, the keys repeated to
    /// every query head. 405B, TP 8, CP 8, 262,144 tokens: 32,768 local tokens x 2 bytes x (128
    /// x 128 + 128 x 128) / 8 = 4096 elements x 8 ranks = 2,147,483,648. 8B, CP 4, 131,072
    /// tokens: 32,768 x 2 x (32 x 128 x 2) x 4 = 2,147,483,648. None without CP.
    @Test func contextParallelGathersEveryRanksKeysAndValues() throws {
        let g = try llama405B()
        let cp8 = ParallelLayout(tp: 8, pp: 8, cp: 8, zero: 3, sequenceParallel: true, microBatch: 1, globalBatch: 8, seq: 262_144)
        let gathered: Double = 8 * 32_768 * 2 * 4096
        #expect(RingAttentionBuffers.gatheredKeyValueBytes(geometry: g, layout: cp8, recipe: titan) == gathered)
        let g8 = LayerGeometry(model: try ModelCatalog.preset(named: "llama-3.1-8b"))
        let cp4 = ParallelLayout(dp: 2, cp: 4, zero: 3, microBatch: 1, globalBatch: 2, seq: 131_072)
        let gathered8B: Double = 2_147_483_648
        #expect(RingAttentionBuffers.gatheredKeyValueBytes(geometry: g8, layout: cp4, recipe: titan) == gathered8B)
        var cp1 = cp4
        cp1.cp = 1
        #expect(RingAttentionBuffers.gatheredKeyValueBytes(geometry: g8, layout: cp1, recipe: titan) == 0)
        let megatron = TrainingRecipe(framework: .megatronCore, recompute: .full).resolved
        #expect(RingAttentionBuffers.gatheredKeyValueBytes(geometry: g8, layout: cp4, recipe: megatron) == 0)
    }

    /// The stage's activations carry the buffers: with 16 micro-batches instead of 8, stage 0
    /// still has 8 in flight (the same saved layers and live layer) but caches 8 more outputs
    /// and has 8 more gradient receive buffers: 16 x 134,217,728 bytes more.
    @Test func stageActivationsIncludeThePipelineBuffers() throws {
        let g = try llama405B()
        let model = try ModelCatalog.preset(named: "llama-3.1-405b")
        var twice = layout405B()
        twice.globalBatch = 512
        func activations(_ layout: ParallelLayout) -> Double {
            MemoryModel.activationBytes(stage: 0, geometry: g, model: model, layout: layout, recipe: titan)
        }
        let expected: Double = 16 * 134_217_728
        #expect(activations(twice) - activations(layout405B()) == expected)
    }

    /// The live layer carries the gathered K/V: Llama 3.1 8B with 32,768 tokens per rank at CP 2
    /// (65,536) and CP 4 (131,072) differs only by two more ranks' keys and values:
    /// 2 x 32,768 x 2 bytes x 8192 = 1,073,741,824.
    @Test func liveLayerIncludesTheGatheredKeysAndValues() throws {
        let model = try ModelCatalog.preset(named: "llama-3.1-8b")
        let g = LayerGeometry(model: model)
        func activations(cp: Int) -> Double {
            let layout = ParallelLayout(dp: 8 / cp, cp: cp, zero: 3, microBatch: 1, globalBatch: 8 / cp, seq: 32_768 * cp)
            return MemoryModel.activationBytes(stage: 0, geometry: g, model: model, layout: layout, recipe: titan)
        }
        let expected: Double = 1_073_741_824
        #expect(activations(cp: 4) - activations(cp: 2) == expected)
    }

    // MARK: FSDP's gathered stages under PP (`PipelineStageResidency`)

    /// 1F1B, 4 ranks, 4 micro-batches, one chunk holding 10 bytes of weights, 20 of unsharded
    /// gradients (2 sharded), 1 byte kept per micro-batch, a 0.5-byte live layer. Rank 0 warms
    /// up 3 forwards and runs the fourth before its first backward: backward 0 holds 4
    /// micro-batches and no gradients yet (14.5), backward 1 holds 3 and the gradients (33.5),
    /// the peak. The last rank (0 warm-up forwards, a 5-byte loss) holds 1 micro-batch and,
    /// from backward 1 on, the gradients: 10 + 20 + 1 + 0.5 + 5.
    @Test func oneForwardOneBackwardHoldsGradientsFromTheSecondBackward() throws {
        let chunk = PipelineStageResidency.Chunk(weights: 10, gradients: 20, shardedGradients: 2)
        let first = try #require(PipelineStageResidency.peak(rank: 0, stages: 4, microBatches: 4, schedule: .oneForwardOneBackward,
                                                              chunks: [chunk], keptPerChunkMicroBatch: 1, live: 0.5, loss: 0))
        #expect(first == PipelineStageResidency.Peak(weights: 10, gradients: 20, activations: 3.5))
        let last = try #require(PipelineStageResidency.peak(rank: 3, stages: 4, microBatches: 4, schedule: .oneForwardOneBackward,
                                                             chunks: [chunk], keptPerChunkMicroBatch: 1, live: 0.5, loss: 5))
        #expect(last == PipelineStageResidency.Peak(weights: 10, gradients: 20, activations: 6.5))
        // One micro-batch: its backward is the first and the last; the peak is its end, the
        // gradients whole before the reduce-scatter, nothing left in flight (30 > 10 + 1 + 0.5).
        let single = try #require(PipelineStageResidency.peak(rank: 0, stages: 2, microBatches: 1, schedule: .oneForwardOneBackward,
                                                               chunks: [chunk], keptPerChunkMicroBatch: 1, live: 0.5, loss: 0))
        #expect(single == PipelineStageResidency.Peak(weights: 10, gradients: 20, activations: 0))
    }

    /// Interleaved 1F1B, 2 ranks, 2 micro-batches (one round), 2 chunks on the last rank: chunk
    /// 0 (virtual stage 1) 4 bytes of weights, 8 of gradients, 1 sharded; chunk 1 (virtual
    /// stage 3, the pipeline's last, a 3-byte loss) 6, 12, 1.5; 1 byte per chunk-micro-batch.
    /// Warm-up (2 - 1) x 2 + 2 x 0 = 2 forwards; backwards 0-1 differentiate chunk 1 with 3
    /// chunk-micro-batches in flight, backwards 2-3 chunk 0 with 2 and 1.
    /// - backward 0: both chunks' weights (10), no gradients, 3 + 3 = 6: 16;
    /// - backward 1: 10 + chunk 1's gradients 12 + 6 = 28, the peak;
    /// - backward 2: chunk 1 resharded and reduced (its 1.5 sharded), chunk 0's weights 4, 2: 7.5;
    /// - backward 3: 4 + 8 + 1.5 + 1 = 14.5.
    /// Everything held at once, as for one chunk per rank, would be 10 + 20 + 6 = 36.
    @Test func interleavedRanksHoldOneChunksGradientsAtATime() throws {
        let chunks = [PipelineStageResidency.Chunk(weights: 4, gradients: 8, shardedGradients: 1),
                      PipelineStageResidency.Chunk(weights: 6, gradients: 12, shardedGradients: 1.5)]
        let peak = try #require(PipelineStageResidency.peak(rank: 1, stages: 2, microBatches: 2, schedule: .oneForwardOneBackward,
                                                             chunks: chunks, keptPerChunkMicroBatch: 1, live: 0, loss: 3))
        #expect(peak == PipelineStageResidency.Peak(weights: 10, gradients: 12, activations: 6))
        // With 40 bytes of gradients on chunk 0 its last backward peaks instead (4 + 40 + 1.5 +
        // 1 = 46.5), without the loss, which only chunk 1's backwards hold.
        var heavy = chunks
        heavy[0].gradients = 40
        let later = try #require(PipelineStageResidency.peak(rank: 1, stages: 2, microBatches: 2, schedule: .oneForwardOneBackward,
                                                              chunks: heavy, keptPerChunkMicroBatch: 1, live: 0, loss: 3))
        #expect(later == PipelineStageResidency.Peak(weights: 4, gradients: 41.5, activations: 1))
    }

    /// With two rounds (4 micro-batches on 2 ranks) rank 0's chunks take turns per round: chunk 1
    /// differentiates micro-batches 0-1 (backwards 0-1), chunk 0 the same two (2-3), then chunk 1
    /// micro-batches 2-3 (4-5) and chunk 0 (6-7). Warm-up (2 - 1) x 2 + 2 x 1 = 4 forwards, so
    /// backwards 0-3 hold 5 chunk-micro-batches. From backward 3 both chunks' gradients are held
    /// (4 + 4 weights, 8 + 8 gradients, 5): 29, the peak; chunk 1 ends at backward 5.
    @Test func interleavedRoundsHoldEveryChunksGradients() throws {
        let chunk = PipelineStageResidency.Chunk(weights: 4, gradients: 8, shardedGradients: 1)
        let peak = try #require(PipelineStageResidency.peak(rank: 0, stages: 2, microBatches: 4, schedule: .oneForwardOneBackward,
                                                             chunks: [chunk, chunk], keptPerChunkMicroBatch: 1, live: 0, loss: 0))
        #expect(peak == PipelineStageResidency.Peak(weights: 8, gradients: 16, activations: 5))
        // Interleaving with micro-batches not a multiple of the ranks is not walked.
        #expect(PipelineStageResidency.peak(rank: 0, stages: 2, microBatches: 3, schedule: .oneForwardOneBackward,
                                            chunks: [chunk, chunk], keptPerChunkMicroBatch: 1, live: 0, loss: 0) == nil)
    }

    /// The 405B 3D layout's first stage: its peak comes after its first backward, with 7 of its
    /// 8 micro-batches in flight and all its gradients, one micro-batch's kept layer inputs below
    /// the closed form (15 layers x 134,217,728 bytes); the gradients stay the whole stage's.
    @Test func firstStagePeaksAfterItsFirstBackward() throws {
        let model = try ModelCatalog.preset(named: "llama-3.1-405b")
        let g = LayerGeometry(model: model)
        let cluster = try TopologyCatalog.load("dgx-h100")
        let layout = layout405B()
        let memory = MemoryModel.stage(0, geometry: g, model: model, cluster: cluster, layout: layout, recipe: titan)
        let closedForm = MemoryModel.activationBytes(stage: 0, geometry: g, model: model, layout: layout, recipe: titan)
        let oneMicroBatch: Double = 15 * 134_217_728
        #expect(memory.activations == closedForm - oneMicroBatch)
        let params = ModelStateMemory.parameters(stage: 0, geometry: g, model: model, layout: layout, recipe: titan)
        var gathered = layout
        gathered.zero = 1
        #expect(memory.gradients == ParameterAccounting(params, layout: gathered, recipe: titan).memory.gradients)
    }

    /// Interleaved, the last rank peaks while its second chunk (virtual stage 15, with the output
    /// layer) differentiates: that chunk's gradients only, half the rank's layers' plus the
    /// output layer's (128,256 x 16,384 / 8 x 4 bytes = 1,050,673,152), not both chunks'.
    @Test func interleavedLastRankHoldsItsLastChunksGradients() throws {
        let model = try ModelCatalog.preset(named: "llama-3.1-405b")
        let g = LayerGeometry(model: model)
        let cluster = try TopologyCatalog.load("dgx-h100")
        let whole = MemoryModel.stage(7, geometry: g, model: model, cluster: cluster, layout: layout405B(), recipe: titan).gradients
        let interleaved = MemoryModel.stage(7, geometry: g, model: model, cluster: cluster, layout: layout405B(vpp: 2), recipe: titan)
        let output: Double = 1_050_673_152
        #expect(interleaved.gradients == (whole - output) / 2 + output)
    }

    // MARK: The last stage's merged outputs

    /// `step()` concatenates the last stage's 8 cached logits: 8 x 1,050,673,152 = 8,405,385,216
    /// bytes in one tensor, larger than any allocation of the step (one micro-batch's fp32 logits,
    /// 4,202,692,608), so a segment of its own; with 2 micro-batches (2,101,346,304, no larger
    /// than the fp32 logits) it fits a segment of the step. None under Megatron's schedule.
    @Test func lastStageMergesItsOutputsIntoANewSegment() throws {
        let g = try llama405B()
        #expect(PipelineStageBuffers.mergedOutputBytes(geometry: g, layout: layout405B(), recipe: titan) == 8_405_385_216)
        var two = layout405B()
        two.globalBatch = 64
        #expect(two.microBatchesPerReplica == 2)
        #expect(PipelineStageBuffers.mergedOutputBytes(geometry: g, layout: two, recipe: titan) == 0)
        let megatron = TrainingRecipe(framework: .megatronCore, recompute: .full).resolved
        #expect(PipelineStageBuffers.mergedOutputBytes(geometry: g, layout: layout405B(), recipe: megatron) == 0)
    }

    /// The segment adds to the last stage's other bytes only, and never beyond the device's
    /// capacity (a failed cudaMalloc releases the cached free segments first): the 3D layout's
    /// last stage gets all 8,405,385,216 bytes; the 4D layout at CP 8, 7.7 GiB below an
    /// 80 GiB H100, is capped at the capacity.
    @Test func mergedOutputsAddToTheLastStageUpToCapacity() throws {
        let model = try ModelCatalog.preset(named: "llama-3.1-405b")
        let g = LayerGeometry(model: model)
        let cluster = try TopologyCatalog.load("dgx-h100")
        func memory(_ stage: Int, _ layout: ParallelLayout) -> MemoryBreakdown {
            MemoryModel.stage(stage, geometry: g, model: model, cluster: cluster, layout: layout, recipe: titan)
        }
        let last = memory(7, layout405B())
        #expect(last.other - MemoryModel.otherBytes(activations: last.activations, cluster: cluster) == 8_405_385_216)
        let first = memory(0, layout405B())
        #expect(first.other == MemoryModel.otherBytes(activations: first.activations, cluster: cluster))
        let cp8 = ParallelLayout(tp: 8, pp: 8, dp: 1, cp: 8, zero: 3, sequenceParallel: true, microBatch: 1, globalBatch: 8,
                                 seq: 262_144, shardGroup: 8)
        let capped = memory(7, cp8)
        let added = capped.other - MemoryModel.otherBytes(activations: capped.activations, cluster: cluster)
        #expect(added > 0 && added < 8_405_385_216)
        #expect(abs(capped.total - MemoryModel.capacity(of: cluster)) < 1)
    }
}


/// The per-micro-batch buffers PyTorch's pipelining runtime (`torch.distributed.pipelining`,
/// which torchtitan's `pipeline_llama` builds its `PipelineStage`s and schedules on) holds on a
/// GPU beyond the layers' saved activations, for every local stage of the rank
/// (`FrameworkProfile.keepsPipelineMicroBatchBuffers`). From `torch/distributed/pipelining/stage.py`
/// of PyTorch (the benchmarks ran torch 1963fc8 of 2024-12-23; read in a stored copy of early
/// 2025 whose `forward_one_chunk` still caches the output of every stage, not only the last's):
/// - `forward_one_chunk` appends every micro-batch's output to `output_chunks`
///   ("Caching chunk outputs for final output merge or reduction"; `get_fwd_send_ops` sends from
///   it), cleared only by `clear_runtime_states` at the next step: m outputs per stage. A
///   boundary output is the hidden state (torchtitan's TP plan hands on the local
///   sequence shard, h/t elements per token); the last stage's are the logits, V/t per token
///   under loss parallelism;
/// - `_prepare_backward_infra` makes one gradient receive buffer per micro-batch
///   (`grad_recv_info[mb_index] = _create_grad_recv_info(...)`), and the forward infra one
///   activation receive buffer per micro-batch, both kept across steps: m of each, on every
///   stage that receives (not the pipeline's first for activations, not its last for gradients);
/// - `stage_backward` leaves each micro-batch's input gradient in its receive buffer's `.grad`,
///   which `clear_runtime_states` frees only at the next step.
/// At the stage's activation peak (1F1B's steady state keeps the in-flight count and reaches
/// the last forward with every output cached) this is: m outputs; m gradient receive buffers;
/// and the activation receive buffers and input gradients of the micro-batches not in flight
/// (m - in flight each; an in-flight micro-batch's receive buffer is its first layer's saved
/// input, counted with the activations).
public enum PipelineStageBuffers {
    /// Bytes on one GPU of pipeline rank `stage`; zero without pipeline parallelism or where
    /// the framework keeps no such buffers.
    public static func bytes(stage: Int, geometry g: LayerGeometry, layout: ParallelLayout, recipe: TrainingRecipe) -> Double {
        guard layout.pp > 1, recipe.framework.profile.keepsPipelineMicroBatchBuffers else { return 0 }
        let m = Double(max(layout.microBatchesPerReplica, 1))
        let localStages = Double(max(layout.vpp, 1))
        let t = Double(layout.tp)
        let a = recipe.precision.activationBytes
        let tokens = Double(layout.microBatch) * Double(layout.seq) / Double(layout.cp)
        let boundary = tokens * a * (layout.sequenceParallel ? g.hidden / t : g.hidden)
        let logits = tokens * a * g.vocab / t
        let holdsFirst = stage == 0
        let holdsLast = stage == layout.pp - 1
        // Chunk-micro-batches in flight on the rank (micro-batches for a single stage per rank).
        let inFlight = ActivationMemory.microBatchesInFlight(stage: stage, layout: layout) * localStages
        let sending = localStages - (holdsLast ? 1 : 0)
        let receiving = localStages - (holdsFirst ? 1 : 0)
        let outputs = sending * m * boundary + (holdsLast ? m * logits : 0)
        let gradientReceives = sending * m * boundary
        let notInFlight = max(receiving * m - inFlight, 0)
        let activationReceives = notInFlight * boundary
        let inputGradients = notInFlight * boundary
        return outputs + gradientReceives + activationReceives + inputGradients
    }
}

extension PipelineStageBuffers {
    /// The allocator segment the last stage's merged outputs take at the end of the step:
    /// `PipelineScheduleSingle.step` and `PipelineScheduleMulti.step` return
    /// `self._merge_outputs(stage.output_chunks)` on the stage holding the pipeline's last
    /// stage, `merge_chunks` concatenating the m cached outputs along the batch (torch.cat, the
    /// default `TensorChunkSpec(0)` since torchtitan passes no `output_merge_spec`): one new tensor
    /// of m micro-batches' local logits (bf16, V/t per token under loss parallelism), allocated
    /// after the last backward while the cached outputs are still held. PyTorch's caching
    /// allocator (default configuration) places a block inside one segment, and a segment is as
    /// large as the allocation that made it; the largest the step made before is one
    /// micro-batch's fp32 logits (the loss's upcast copy, 4V/t per token), so when the merged
    /// tensor is larger the allocator reserves a new segment for it on top of all it had reserved
    /// at the step's peak, and reserved memory (what torchtitan logs) never shrinks unless a
    /// cudaMalloc fails (then the cached free segments are released first: `MemoryModel` caps
    /// this at the device's capacity). Zero elsewhere, and where the merged tensor fits a segment
    /// of the step. (Under `expandable_segments:True`, which torchtitan's `run_llama_train.sh`
    /// sets, freed ranges coalesce and the merged tensor would fit in the memory the last
    /// backward frees; the published runs do not state their allocator settings.)
    public static func mergedOutputBytes(geometry g: LayerGeometry, layout: ParallelLayout, recipe: TrainingRecipe) -> Double {
        guard layout.pp > 1, recipe.framework.profile.keepsPipelineMicroBatchBuffers, g.stacks.outputHead != .none else { return 0 }
        let m = Double(max(layout.microBatchesPerReplica, 1))
        let tokens = Double(layout.microBatch) * Double(layout.seq) / Double(layout.cp)
        let localVocabulary = g.vocab / Double(layout.tp)
        let merged = m * tokens * recipe.precision.activationBytes * localVocabulary
        let largestBefore = tokens * 4 * localVocabulary
        return merged > largestBefore ? merged : 0
    }
}

/// PyTorch reports two peaks, and sources print one or the other: the allocated peak
/// (`torch.cuda.max_memory_allocated`, the bytes of tensors alive at once; torchtune's
/// `get_memory_stats` -> `peak_memory_alloc`, PEFT's `TorchTracemalloc`) and the reserved peak
/// (`max_memory_reserved`, `reserved_bytes.all.peak`: the segments the caching allocator holds
/// from the device, freed blocks included; torchtitan's `memory:` log line at its Dec 2024
/// benchmark commit 9dec370, `device_mem_stats.max_reserved_gib`). They differ at the last
/// pipeline stage's backward start under recomputation:
///
/// - Allocated: the loss's tensors (final-norm and output-layer inputs, logits, their
///   gradients) are freed by the output layer's backward before autograd reaches the last
///   layer and recomputes it, so the allocated peak holds the larger of the two, max(live, loss),
///   beside what every layer keeps.
/// - Reserved: PyTorch's `CUDACachingAllocator` (c10/cuda/CUDACachingAllocator.cpp) serves a
///   request from one cached free block of one segment (`get_free_block`: the smallest block of
///   the stream's pool at least as large, split if larger); free blocks merge only with their
///   neighbours in the same segment, and segments go back to the device only when a `cudaMalloc`
///   fails (`release_cached_blocks`) or on `empty_cache`. The forward of the last layer (the
///   same operators its recomputation runs, under checkpointing with their outputs freed as
///   the forward moves on) leaves its blocks cached, sized like that layer's tensors; the
///   logits that follow (tokens x vocabulary each, larger than any block a layer allocates)
///   cannot be placed in them and get segments of their own, held while the loss is alive.
///   After the output layer's backward the recomputed layer's tensors reuse the cached layer
///   blocks and the freed logits' segments, so the reserve does not grow again. The reserve's
///   peak is therefore kept + (the layer's cached blocks) + loss; `MemoryModel` takes the
///   layer's cached blocks at `live` (U: the forward's working set under checkpointing is at
///   most the recomputation's, which also keeps what its backward saves), i.e. kept + live +
///   loss, an upper bound of the reserve by this mechanism.
///
/// The planner decides fit on the reserved figure (`MemoryBreakdown.total`): conservative, since
/// the allocator fails only after releasing its cached segments and retrying, i.e. at or above
/// the allocated peak plus the fragmentation it cannot release.
public enum CachingAllocatorPeaks {
    /// Bytes of the reserve at the last stage's backward start that no tensor occupies at the
    /// allocated peak: the smaller of the recomputed layer (`live`) and the loss (`loss`), whose
    /// lifetimes do not overlap (0 without one of them).
    public static func reservedOnlyBytes(live: Double, loss: Double) -> Double {
        min(live, loss)
    }
}

/// When FSDP issues the next unit's all-gather in the backward pass (PyTorch
/// `torch.distributed.fsdp.BackwardPrefetch`, whose docstring defines the three settings), and
/// what of a unit's backward communication its gradient computation then hides
/// (`DataParallelTasks.shardedBackwardExposed`). All collectives of one process group run on one
/// NCCL stream in issue order ("any collectives, even if issued from different streams, contend
/// for the same per-device NCCL stream"), so the issue order decides the overlap:
/// - `pre` (BACKWARD_PRE, PyTorch FSDP's default; FSDP2 prefetches the same way): the next
///   all-gather is issued before the current gradient computation and "overlaps the next
///   all-gather and the current gradient computation": gathers and reduce-scatters hide behind
///   the backward;
/// - `post` (BACKWARD_POST, Composer's default: `fsdp_config.get('backward_prefetch',
///   'BACKWARD_POST')`, composer/trainer/dist_strategy.py v0.13.3 and v0.16.4): the next
///   all-gather is issued after the current gradient computation, which "overlaps the current
///   reduce-scatter and the next gradient computation", and "frees the current set of parameters
///   before allocating memory for the next set", so the next gather starts once the current
///   unit's computation is done: each unit's gather waits in series, its reduce-scatter hides;
/// - `none` (no backward prefetch, "no overlap"): each unit's gather is issued in its own
///   pre-backward hook, behind the previous unit's reduce-scatter on the NCCL stream: both in
///   series.
public enum FSDPBackwardPrefetch: String, Sendable, Hashable, Codable, CaseIterable {
    case pre
    case post
    case none
}

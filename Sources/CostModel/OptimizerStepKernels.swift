/// How the optimizer step runs over a parameter's states: `fused` (every framework's default
/// here: Apex / Transformer Engine `FusedAdam`, `torch.optim.AdamW(fused=True)`), one kernel
/// reading the master, gradient and moments once and writing them once
/// (`OptimizerStepTraffic`: 34 bytes for mixed-precision Adam); or `perOp`, one elementwise kernel per
/// operation of the update, each a pass over fp32 states (`CostModelConstants.perOpAdamStepBytesPerParameter`):
/// Composer's `DecoupledAdamW`, which llm-foundry's MPT yamls use (`optimizer: name:
/// decoupled_adamw`), loops over the parameters with in-place tensor ops.
public enum OptimizerStepKernels: String, Sendable, Hashable, Codable, CaseIterable {
    case fused
    case perOp = "per-op"
}

"""Feed `torchtitan.args` to torchtitan's own config parser and validators.

Current torchtitan (0.3) reads no TOML: a job is `--module <model> --config <registry function>`
followed by `--<section>.<key> value` overrides, parsed by tyro in `ConfigManager.parse_args`
(unknown keys and ill-typed values are rejected there). Then, without a device mesh:
- `ParallelDims.from_config(parallelism, world_size)` (its `_validate`: the degrees multiply
  to WORLD_SIZE);
- with PP: `_get_pipeline_metadata` and `_generate_llm_fqn_per_model_part`, the functions
  `pipeline_llm` calls to cut the registry model's layers into stages;
- the two checks `Trainer.__init__` makes once the mesh exists, restated here with their
  source (torchtitan/trainer.py): seq_len divisible by TP (with sequence parallelism) times
  2*CP (with CP), and global_batch_size a multiple of local_batch_size times the batch
  (dp_replicate * dp_shard) degree. These two are this harness's restatement, not torchtitan code.
"""
from __future__ import annotations

import sys
from importlib.metadata import version

import emitcase


def check(case: emitcase.Case) -> None:
    from torchtitan.config.manager import ConfigManager
    from torchtitan.distributed.parallel_dims import ParallelDims
    from torchtitan.distributed import pipeline_parallel

    config = ConfigManager().parse_args(case.args("torchtitan.args"))
    parallelism = config.parallelism
    dims = ParallelDims.from_config(parallelism, case.world_size)

    if dims.pp > 1:
        stages, layers, first, last = pipeline_parallel._get_pipeline_metadata(
            dims, parallelism, config.model_spec.model
        )
        if parallelism.module_fqns_per_model_part is None:
            pipeline_parallel._generate_llm_fqn_per_model_part(stages, layers, first, last)

    # torchtitan/trainer.py, Trainer.__init__: "validate dense activation sequence length evenness"
    divisor = (dims.tp if parallelism.enable_sequence_parallel else 1) * (2 * dims.cp if dims.cp > 1 else 1)
    if config.training.seq_len % divisor != 0:
        raise ValueError(
            f"Training sequence length ({config.training.seq_len}) must be divisible by {divisor} "
            "for the configured sequence/context parallelism."
        )
    # torchtitan/trainer.py, Trainer.__init__: "verify batch sizes"
    batch_degree = dims.dp_replicate * dims.dp_shard
    global_batch = config.training.global_batch_size
    if global_batch < 0:
        global_batch = config.training.local_batch_size * batch_degree
    if global_batch % (config.training.local_batch_size * batch_degree) != 0:
        raise AssertionError(
            "global batch size must be multiple of local batch size times data-parallel degree "
            f"({global_batch} % ({config.training.local_batch_size} * {batch_degree}) != 0)"
        )


if __name__ == "__main__":
    sys.exit(emitcase.run("torchtitan", version("torchtitan"), "torchtitan.args", check))

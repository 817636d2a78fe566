"""Feed `deepspeed.json` to DeepSpeed's own `DeepSpeedConfig` (CPU accelerator, no ops built).

DeepSpeedConfig checks the config keys (its pydantic models reject unknown or ill-typed
ZeRO/bf16/... keys) and the batch identity
    train_batch_size == train_micro_batch_size_per_gpu * gradient_accumulation_steps * DP,
with DP taken from the model-parallel unit the training script passes as `mpu`.
Megatron-DeepSpeed, whose argument parser reads `deepspeed.args`, is not on PyPI, so its own
`validate_args` cannot run here; this checker reads only the layout flags from `deepspeed.args`
(--tensor-model-parallel-size, --pipeline-model-parallel-size, --ds-sequence-parallel-size,
--no-pipeline-parallel) to give DeepSpeedConfig the data-parallel size that Megatron-DeepSpeed's
mpu reports: WORLD_SIZE / (TP * PP * SP).
One rule of DeepSpeed's PipelineEngine (which needs a model and a process per stage to build)
is restated with its source: deepspeed/runtime/pipe/engine.py asserts
"ZeRO-2 and ZeRO-3 are incompatible with pipeline parallelism" whenever the pipeline engine is
used, i.e. unless --no-pipeline-parallel is given.
"""
from __future__ import annotations

import argparse
import os
import socket
import sys
from importlib.metadata import version

os.environ.setdefault("DS_ACCELERATOR", "cpu")
os.environ.setdefault("DS_BUILD_OPS", "0")

import emitcase


class MegatronDeepSpeedMpu:
    """The one query DeepSpeedConfig makes of Megatron-DeepSpeed's mpu (megatron/core/parallel_state)."""

    def __init__(self, data_parallel: int):
        self._data_parallel = data_parallel

    def get_data_parallel_world_size(self) -> int:
        return self._data_parallel


def layout(case: emitcase.Case) -> argparse.Namespace:
    parser = argparse.ArgumentParser(add_help=False, allow_abbrev=False)
    parser.add_argument("--tensor-model-parallel-size", type=int, default=1)
    parser.add_argument("--pipeline-model-parallel-size", type=int, default=1)
    parser.add_argument("--ds-sequence-parallel-size", type=int, default=1)
    parser.add_argument("--no-pipeline-parallel", action="store_true")
    path = case.file("deepspeed.args")
    known, _ = parser.parse_known_args(case.args("deepspeed.args") if path.exists() else [])
    return known


_initialized = False


def init_single_process_group() -> None:
    global _initialized
    if _initialized:
        return
    import deepspeed
    import importlib

    ds_torch_comm = importlib.import_module("deepspeed.comm.torch")  # not deepspeed.comm's `torch` attribute

    # The CPU accelerator would JIT-compile its shared-memory all-reduce kernel (a speed-up for
    # CPU training) on start-up; nothing here communicates, so the process group starts without it.
    ds_torch_comm.build_shm_op = lambda: None
    with socket.socket() as probe:  # a free port for the one-process group's rendezvous
        probe.bind(("127.0.0.1", 0))
        port = str(probe.getsockname()[1])
    for key, value in (("MASTER_ADDR", "127.0.0.1"), ("MASTER_PORT", port),
                       ("RANK", "0"), ("LOCAL_RANK", "0"), ("WORLD_SIZE", "1")):
        os.environ.setdefault(key, value)
    deepspeed.init_distributed(dist_backend="gloo", auto_mpi_discovery=False)
    _initialized = True


def check(case: emitcase.Case) -> None:
    from deepspeed.runtime.config import DeepSpeedConfig

    init_single_process_group()
    lay = layout(case)
    model_parallel = lay.tensor_model_parallel_size * lay.pipeline_model_parallel_size * lay.ds_sequence_parallel_size
    if case.world_size % model_parallel != 0:
        raise ValueError(
            f"world size {case.world_size} is not divisible by TP*PP*SP = {model_parallel}"
        )
    config = DeepSpeedConfig(str(case.file("deepspeed.json")),
                             mpu=MegatronDeepSpeedMpu(case.world_size // model_parallel))
    uses_pipeline_engine = not lay.no_pipeline_parallel
    # deepspeed/runtime/pipe/engine.py, PipelineEngine.__init__
    if uses_pipeline_engine and config.zero_optimization_stage >= 2:
        raise AssertionError(
            "ZeRO-2 and ZeRO-3 are incompatible with pipeline parallelism "
            f"(zero stage {config.zero_optimization_stage} with the pipeline engine; "
            "pass --no-pipeline-parallel with PP 1)"
        )


if __name__ == "__main__":
    sys.exit(emitcase.run("deepspeed", version("deepspeed"), "deepspeed.json", check))

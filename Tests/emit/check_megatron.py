"""Feed `megatron.args` to Megatron-LM's own parser and validators (shipped in megatron-core).

Runs, as `pretrain_gpt.py` does at start-up: `megatron.training.arguments.parse_args`,
`validate_args`, then `core_transformer_config_from_args`, whose `TransformerConfig.__post_init__`
holds the model-shape checks (GQA groups vs TP, uneven pipeline stages vs VPP, MoE settings).

Two things the launcher, not the argument list, provides are taken from the case:
- WORLD_SIZE (and RANK=0) as torchrun sets them, plus the variables in `megatron.env`;
- the GPU's compute-capability major, which validate_args reads through
  `megatron.core.utils.get_device_arch_version()` (CUDA_DEVICE_MAX_CONNECTIONS rules differ
  before and from Blackwell, 10) and `torch.cuda.get_device_capability()` (--moe-grouped-gemm
  needs 8 or more). No GPU is present, so the target's value from case.json is answered.

Transformer Engine, which a real launch has (megatron-core's `te` extra; NVIDIA's containers),
installs only with CUDA. TransformerConfig asks for it in two ways: its version
(`megatron.core.utils.get_te_version`) and the presence of its fused RoPE kernel
(`rope_utils.fused_apply_rotary_pos_emb`, needed by the default --apply-rope-fusion). The checker
declares TE present at TE_VERSION, the transformer-engine release on PyPI when megatron-core
0.19.2 was pinned; the placeholder kernel raises if anything calls it. Nothing is computed.
"""
from __future__ import annotations

import os
import sys
from importlib.metadata import version

import emitcase

TE_VERSION = "2.20.2"


def declare_transformer_engine() -> None:
    from packaging.version import Version
    import megatron.core.utils as core_utils
    from megatron.core.models.common.embeddings import rope_utils

    def not_run(*_args, **_kwargs):
        raise RuntimeError("Transformer Engine is declared, not installed: its kernels cannot run here")

    core_utils._te_version = Version(TE_VERSION)
    if rope_utils.fused_apply_rotary_pos_emb is None:
        rope_utils.fused_apply_rotary_pos_emb = not_run


def check(case: emitcase.Case) -> None:
    import torch
    import megatron.training.arguments as arguments

    declare_transformer_engine()

    saved_env = dict(os.environ)
    saved_argv = sys.argv
    saved_arch = arguments.get_device_arch_version
    saved_capability = torch.cuda.get_device_capability
    try:
        for key in ("CUDA_DEVICE_MAX_CONNECTIONS",):
            os.environ.pop(key, None)
        os.environ.update(case.env("megatron.env"))
        os.environ["WORLD_SIZE"] = str(case.world_size)
        os.environ["RANK"] = "0"
        arguments.get_device_arch_version = lambda: case.gpu_arch_major
        torch.cuda.get_device_capability = lambda *_device: (case.gpu_arch_major, 0)
        sys.argv = ["pretrain_gpt.py", *case.args("megatron.args")]
        args = arguments.parse_args()
        arguments.validate_args(args)
        arguments.core_transformer_config_from_args(args)
    finally:
        arguments.get_device_arch_version = saved_arch
        torch.cuda.get_device_capability = saved_capability
        sys.argv = saved_argv
        os.environ.clear()
        os.environ.update(saved_env)


if __name__ == "__main__":
    sys.exit(emitcase.run("megatron-core", version("megatron-core"), "megatron.args", check))

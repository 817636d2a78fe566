"""Feed `maxtext.yml` to MaxText's own config loader and mesh arithmetic.

`maxtext.configs.pyconfig.initialize(["train.py", <case>/maxtext.yml])` is what
`python -m maxtext.trainers.pre_train.train <yml>` runs first: it resolves `base_config`
(normally "base.yml", found in the installed package), merges the model file named by
`model_name` (refusing a key set both there and in the overrides), and builds the pydantic
`MaxTextConfig`, which rejects unknown keys and ill-typed values and runs its validators.
The mesh is then checked with MaxText's `max_utils.fill_unspecified_mesh_axes`, which
`create_device_mesh` applies per slice: the ici_* degrees must multiply to the accelerators of
one node (a slice on GPU) and the dcn_* degrees to the number of nodes (from case.json),
which is also passed as num_slices (MaxText reads it from the devices it sees).
"""
from __future__ import annotations

import os
import sys
from importlib.metadata import version

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # JAX's C++ start-up lines

import emitcase


def check(case: emitcase.Case) -> None:
    from maxtext.configs import pyconfig
    from maxtext.utils import max_utils

    per_node = min(case.world_size, case.accelerators_per_node)
    if case.world_size % per_node != 0:
        raise ValueError(f"world size {case.world_size} is not a whole number of nodes of {per_node}")
    nodes = case.world_size // per_node
    # On GPUs MaxText counts slices from the devices it sees (one per node); no GPU is here,
    # so the count is given as the launcher's hardware would report it, like WORLD_SIZE elsewhere.
    config = pyconfig.initialize(["train.py", str(case.file("maxtext.yml"))], num_slices=nodes)
    max_utils.fill_unspecified_mesh_axes(list(config.ici_parallelism), per_node, "ICI")
    max_utils.fill_unspecified_mesh_axes(list(config.dcn_parallelism), nodes, "DCN")


if __name__ == "__main__":
    sys.exit(emitcase.run("maxtext", version("maxtext"), "maxtext.yml", check))

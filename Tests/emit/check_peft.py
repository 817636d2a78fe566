"""Feed `peft.json` to PEFT and transformers: LoraConfig, TrainingArguments, and the adapter
applied to the model's real module tree.

- `transformers.AutoConfig.for_model(**model_config)` builds the model's config (unknown
  model_type rejected), and `AutoModelForCausalLM.from_config` builds it on the meta device
  (no weights, no memory), so the module names are the real ones;
- `peft.LoraConfig(**lora)` runs its __post_init__ checks; `peft.get_peft_model` raises when a
  target module is not in the model ("Target modules ... not found in the base model");
- `transformers.TrainingArguments(**training_arguments)` runs its __post_init__ checks.
  One of them asks the device whether it computes in bf16 (`is_torch_bf16_gpu_available`;
  transformers: "You need Ampere+ GPU"). No GPU is here, so the target GPU from case.json
  answers: compute capability 8 (Ampere) or more.
"""
from __future__ import annotations

import json
import sys
import tempfile
from importlib.metadata import version

import emitcase


def check(case: emitcase.Case) -> None:
    import torch
    import transformers
    import peft

    spec = json.loads(case.file("peft.json").read_text())
    unknown = set(spec) - {"model_config", "lora", "training_arguments"}
    if unknown:
        raise ValueError(f"peft.json: unknown sections {sorted(unknown)}")
    model_config = dict(spec["model_config"])
    model_type = model_config.pop("model_type")
    config = transformers.AutoConfig.for_model(model_type, **model_config)
    with torch.device("meta"):
        model = transformers.AutoModelForCausalLM.from_config(config)
    lora = peft.LoraConfig(**spec["lora"])
    peft.get_peft_model(model, lora)
    import transformers.training_args as training_args

    saved = training_args.is_torch_bf16_gpu_available
    training_args.is_torch_bf16_gpu_available = lambda *_a, **_k: case.gpu_arch_major >= 8
    try:
        arguments = dict(spec["training_arguments"])
        arguments.setdefault("output_dir", tempfile.mkdtemp(prefix="loom-emit-peft-"))
        transformers.TrainingArguments(**arguments)
    finally:
        training_args.is_torch_bf16_gpu_available = saved


if __name__ == "__main__":
    sys.exit(emitcase.run("peft", f"{version('peft')} (transformers {version('transformers')})",
                          "peft.json", check))

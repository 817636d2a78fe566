"""Feed `peft.json` to PEFT and transformers: LoraConfig, TrainingArguments, and the adapter
applied to the model's real module tree.

- `transformers.AutoConfig.for_model(**model_config)` builds the model's config (unknown
  model_type rejected), and `AutoModelForCausalLM.from_config` builds it on the meta device
  (no weights, no memory), so the module names are the real ones;
- `peft.LoraConfig(**lora)` runs its __post_init__ checks; `peft.get_peft_model` raises when a
  target module is not in the model ("Target modules ... not found in the base model");
- `transformers.TrainingArguments(**training_arguments)` runs its __post_init__ checks.
  Checks that need the accelerator (bf16 support on the device) cannot run on CPU:
  `use_cpu` is never set, so a bf16 request on a CPU-only host is reported by transformers as
  it would be; the harness passes bf16 as the case states.
"""
from __future__ import annotations

import json
import sys
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
    transformers.TrainingArguments(output_dir=str(case.path / "out"), **spec["training_arguments"])


if __name__ == "__main__":
    sys.exit(emitcase.run("peft", f"{version('peft')} (transformers {version('transformers')})",
                          "peft.json", check))

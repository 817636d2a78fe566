#!/usr/bin/env bash
# The main job on built-in defaults: builds Loom (release) and plans Llama-3.1-70B on 512 H100s
# (global batch 512 sequences of 8,192 tokens), printing the best layouts, why the best wins, and
# its Megatron-LM launch arguments. Extra arguments are passed to `loom plan`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-system-packages.sh
swift build -c release --product loom >&2
.build/release/loom plan --model llama-3.1-70b --cluster dgx-h100 --gpus 512 --global-batch 512 --seq 8192 \
  --top 5 --emit megatron "$@"

#!/usr/bin/env bash
# The main job on built-in defaults: builds Loom (release) and plans Llama-3.1-70B on 512 H100s.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-system-packages.sh
swift build -c release --product loom >&2
.build/release/loom estimate --model llama-3.1-70b --cluster dgx-h100 --gpus 512 --tp 8 --pp 4 \
  --micro-batch 1 --global-batch 512 --seq 8192 --zero 1 --sequence-parallel --flash-attention \
  --recompute selective "$@"

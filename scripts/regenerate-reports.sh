#!/usr/bin/env bash
# Regenerates the example reports committed under Reports/ (DESIGN: "Reports/ generated
# reports committed as examples"). Builds loom in release mode, then runs `loom report`.
#
#   bash scripts/regenerate-reports.sh            # all three reports
#   LOOM_SCRATCH=.build-report bash scripts/regenerate-reports.sh   # another build directory
#   LOOM_BIN=.build/debug/loom bash scripts/regenerate-reports.sh   # use a loom already built
#
# The prices per GPU-hour are illustrative round figures for the cost column, not quotes.
set -euo pipefail
cd "$(dirname "$0")/.."
scratch="${LOOM_SCRATCH:-.build}"
if [ -n "${LOOM_BIN:-}" ]; then
    loom="$LOOM_BIN"    # a loom already built (any configuration): the reports are the same
else
    swift build -c release --scratch-path "$scratch" --product loom
    loom="$scratch/release/loom"
fi

# GPT-3 175B on DGX A100 80GB, 64 to 4,096 GPUs, global batch 1536 x 2048 tokens
# (Narayanan et al. 2021), Megatron-LM as in the published runs.
"$loom" report scaling --model gpt3-175b --cluster dgx-a100-80gb \
    --gpus 64,128,256,512,1024,2048,4096 --global-batch 1536 --seq 2048 --framework megatron-lm \
    --price-per-gpu-hour 1.8 --out Reports/gpt3-175b-dgx-a100-80gb

# Llama-3.1-405B on DGX H100, 512 to 16,384 GPUs, 16M-token batches of 8192-token sequences
# (Llama 3 paper, 2024); compute-optimal token budget by default.
"$loom" report scaling --model llama-3.1-405b --cluster dgx-h100 \
    --gpus 512,1024,2048,4096,8192,16384 --global-batch 2048 --seq 8192 \
    --price-per-gpu-hour 2.5 --out Reports/llama-3.1-405b-dgx-h100

# Llama-3.1-70B on 1,024 GPUs of three generations; one price per cluster.
"$loom" report compare --model llama-3.1-70b --clusters dgx-a100-80gb,dgx-h100,dgx-b200 \
    --gpus 1024 --global-batch 1024 --seq 8192 --tokens 15T \
    --price-per-gpu-hour 1.8,2.5,4.0 --out Reports/llama-3.1-70b-cluster-comparison

echo "regenerated Reports/*/ (index.md, report.html, SVG charts, data.csv, data.json)"

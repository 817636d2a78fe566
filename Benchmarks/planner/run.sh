#!/usr/bin/env bash
# Planner search speed: three searches of growing size, each run 3 times by `loom plan
# --benchmark` (median search time, layouts per second of wall clock and per CPU-second),
# plus the wall time of the whole large command. Release build, own scratch path.
#
#   Benchmarks/planner/run.sh            # build (release) and run
#   LOOM=path/to/loom Benchmarks/planner/run.sh   # use an existing binary
#
# Sizes:
#   small  gpt3-175b on 64 DGX A100 80GB, global batch 512 x 2048 tokens
#   medium gpt3-175b on 1024 DGX A100 80GB, global batch 1536 x 2048 tokens
#   large  llama-3.1-405b on 16384 DGX H100, global batch 2048 sequences x 8192 tokens
set -euo pipefail
cd "$(dirname "$0")/../.."
if [[ -z "${LOOM:-}" ]]; then
    swift build -c release --product loom --scratch-path .build-planner >&2
    LOOM=.build-planner/release/loom
fi

run() {
    local name=$1; shift
    echo "== $name: loom plan $* --benchmark"
    "$LOOM" plan "$@" --benchmark
}

run small  --model gpt3-175b --cluster dgx-a100-80gb --gpus 64 --global-batch 512 --seq 2048
run medium --model gpt3-175b --cluster dgx-a100-80gb --gpus 1024 --global-batch 1536 --seq 2048
run large  --model llama-3.1-405b --cluster dgx-h100 --gpus 16384 --global-batch 2048 --seq 8192

echo "== large, whole command (plan + table), wall seconds of 3 runs:"
for _ in 1 2 3; do
    start=$(date +%s.%N)
    "$LOOM" plan --model llama-3.1-405b --cluster dgx-h100 --gpus 16384 --global-batch 2048 --seq 8192 > /dev/null
    end=$(date +%s.%N)
    echo "$end - $start" | bc
done

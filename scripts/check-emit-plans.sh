#!/usr/bin/env bash
# Check Loom's own launch configurations with the frameworks' own parsers and validators:
# `loom plan --emit-dir` writes one case directory per plan below, then scripts/check-emit.sh
# feeds every case to megatron-core, torchtitan, DeepSpeed, MaxText and PEFT (Tests/emit/README.md).
#
#   scripts/check-emit-plans.sh [OUT]    OUT: where the cases go (default: a fresh temp dir)
#
# LOOM_SKIP_EMIT_CHECK=1 skips the framework check cleanly (the cases are still generated, so
# a plan Loom can no longer emit still fails). Exits non-zero when any plan cannot be emitted
# or any framework check fails.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${1:-$(mktemp -d "${TMPDIR:-/tmp}/loom-emit-plans.XXXXXX")}"
mkdir -p "$OUT"
LOOM="${LOOM_BIN:-}"
if [ -z "$LOOM" ]; then
    (cd "$ROOT" && swift build --product loom >/dev/null)
    LOOM="$ROOT/.build/debug/loom"
fi

# name | loom plan arguments (every layout dimension the case is about is fixed)
PLANS=(
  "gpt3-175b-dense-mha-tp8-pp8-zero1|--model gpt3-175b --cluster dgx-a100-80gb --gpus 128 --global-batch 256 --seq 2048 --tp 8 --pp 8 --zero 1 --vpp 1"
  "llama3-8b-gqa-tp8-ddp8-zero0|--model llama-3.1-8b --cluster dgx-h100 --gpus 64 --global-batch 512 --seq 8192 --tp 8 --pp 1 --cp 1 --zero 0"
  "llama3-8b-zero2-dp64|--model llama-3.1-8b --cluster dgx-h100 --gpus 64 --global-batch 512 --seq 8192 --tp 1 --pp 1 --cp 1 --zero 2"
  "llama3-8b-zero3-fsdp64|--model llama-3.1-8b --cluster dgx-h100 --gpus 64 --global-batch 512 --seq 8192 --tp 1 --pp 1 --cp 1 --zero 3"
  "llama3-8b-cp4-tp4-zero3|--model llama-3.1-8b --cluster dgx-h100 --gpus 64 --global-batch 64 --seq 65536 --tp 4 --cp 4 --pp 1 --zero 3"
  "llama3-8b-tp2-pp4-zero1|--model llama-3.1-8b --cluster dgx-h100 --gpus 64 --global-batch 512 --seq 8192 --tp 2 --pp 4 --vpp 1 --cp 1 --zero 1"
  "llama3-70b-tp8-pp4-vpp2-zero1|--model llama-3.1-70b --cluster dgx-h100 --gpus 64 --global-batch 512 --seq 8192 --tp 8 --pp 4 --vpp 2 --cp 1 --zero 1"
  "llama3-70b-tp8-pp4-vpp2-fsdp2-zero3|--model llama-3.1-70b --cluster dgx-h100 --gpus 64 --global-batch 512 --seq 8192 --tp 8 --pp 4 --vpp 2 --cp 1 --zero 3"
  "llama3-70b-tp8-fsdp8-zero3|--model llama-3.1-70b --cluster dgx-h100 --gpus 64 --global-batch 512 --seq 8192 --tp 8 --pp 1 --cp 1 --zero 3"
  "llama3-70b-tp8-pp2-tp-comm-overlap|--model llama-3.1-70b --cluster dgx-h100 --gpus 64 --global-batch 512 --seq 8192 --tp 8 --pp 2 --vpp 1 --cp 1 --zero 1 --overlap-tp-comm true"
  "llama3-70b-fp8-tp8-pp2-zero1|--model llama-3.1-70b --cluster dgx-h100 --gpus 64 --global-batch 512 --seq 8192 --tp 8 --pp 2 --vpp 1 --cp 1 --zero 1 --precision fp8"
  "llama3-8b-mxfp8-b200|--model llama-3.1-8b --cluster dgx-b200 --gpus 16 --global-batch 128 --seq 8192 --tp 2 --pp 1 --cp 1 --zero 1 --precision mxfp8"
  "llama3-405b-uneven-pp16-vpp2|--model llama-3.1-405b --cluster dgx-h100 --gpus 2048 --global-batch 2048 --seq 8192 --tp 8 --pp 16 --vpp 2 --cp 1 --zero 1"
  "llama3-405b-uneven-pp16|--model llama-3.1-405b --cluster dgx-h100 --gpus 1024 --global-batch 2048 --seq 8192 --tp 8 --pp 16 --vpp 1 --cp 1 --zero 1"
  "mixtral-8x7b-moe-ep8-zero3|--model mixtral-8x7b --cluster dgx-h100 --gpus 64 --global-batch 512 --seq 4096 --ep 8 --tp 1 --pp 1 --cp 1 --zero 3"
  "qwen2.5-7b-qkv-bias-tp4-zero1|--model qwen2.5-7b --cluster dgx-a100-80gb --gpus 32 --global-batch 256 --seq 4096 --tp 4 --pp 1 --cp 1 --zero 1"
  "llama3-8b-lora-rtx4090|--model llama-3.1-8b --cluster rtx-4090 --gpus 1 --global-batch 8 --seq 2048 --finetune lora"
  "mistral-7b-qlora-a100|--model mistral-7b --cluster dgx-a100-80gb --gpus 8 --global-batch 64 --seq 4096 --finetune qlora"
  "llama3-70b-lora-offload-rtx4090|--model llama-3.1-70b --cluster rtx-4090 --gpus 1 --global-batch 8 --seq 2048 --finetune lora --offload all"
  "llama3-1b-full-a10g|--model llama-3.2-1b --cluster a10g --gpus 1 --global-batch 8 --seq 2048 --finetune full"
  "llama2-7b-mha-full-recompute-pp2-zero0|--model llama-2-7b --cluster dgx-a100-80gb --gpus 32 --global-batch 256 --seq 4096 --tp 2 --pp 2 --vpp 1 --cp 1 --zero 0 --recompute full"
)

failed=0
for entry in "${PLANS[@]}"; do
    name="${entry%%|*}"
    # shellcheck disable=SC2206
    args=(${entry#*|})
    if ! "$LOOM" plan "${args[@]}" --top 1 --emit-dir "$OUT/$name" >/dev/null 2>"$OUT/$name.stderr"; then
        echo "FAIL $name: loom plan: $(tail -1 "$OUT/$name.stderr")"
        failed=$((failed + 1))
        continue
    fi
    rm -f "$OUT/$name.stderr"
    echo "emitted $name: $(ls "$OUT/$name" | grep -v case.json | tr '\n' ' ')"
done
echo "cases in $OUT"
[ "$failed" -eq 0 ] || { echo "$failed plans could not be emitted"; exit 1; }
exec "$ROOT/scripts/check-emit.sh" "$OUT"

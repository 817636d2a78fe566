#!/usr/bin/env bash
# Calibration on this host (the scale-up tier): runs loom-bench twice for every collective on N
# ranks over shared memory, fits alpha-beta to the first run with `loom calibrate`, and compares the
# fitted model with the second run (`loom compare-collectives`). Prints the median |error| per
# collective and over all sizes; exits 1 if it exceeds --target.
#
# Usage:
#   Benchmarks/calibration/host-calibrate.sh [--ranks 2] [--min-bytes 1K] [--max-bytes 16M]
#       [--collectives allreduce,allgather,reducescatter,alltoall,broadcast,sendrecv]
#       [--loss huber] [--target 0.15] [--out DIR] [--priority] [--build-dir .build/release]
#   (the binaries: $LOOM and $LOOM_BENCH if set, else loom and loom-bench in --build-dir)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
ranks=2
min_bytes=1K
max_bytes=16M
collectives=allreduce,allgather,reducescatter,alltoall,broadcast,sendrecv
loss=huber
target=0.15
out=""
build_dir="$root/.build/release"
priority=0

die() { echo "host-calibrate: $*" >&2; exit 1; }
# shellcheck source=common.sh
. "$here/common.sh"

while [ $# -gt 0 ]; do
    case "$1" in
        --ranks) ranks=${2:?}; shift 2 ;;
        --min-bytes) min_bytes=${2:?}; shift 2 ;;
        --max-bytes) max_bytes=${2:?}; shift 2 ;;
        --collectives) collectives=${2:?}; shift 2 ;;
        --loss) loss=${2:?}; shift 2 ;;
        --target) target=${2:?}; shift 2 ;;
        --out) out=${2:?}; shift 2 ;;
        --build-dir) build_dir=${2:?}; shift 2 ;;
        --priority) priority=1; shift ;;
        *) die "unknown option $1 (see the usage at the top of this script)" ;;
    esac
done
find_binaries "$build_dir"
command -v mpirun >/dev/null || die "needs mpirun (openmpi-bin)"
[ -n "$out" ] || out=$(mktemp -d /tmp/host-calibrate.XXXXXX)
mkdir -p "$out"

trap restore_priority EXIT
[ "$priority" = 1 ] && prioritise
launcher=(mpirun -np "$ranks")
[ "$(id -u)" = 0 ] && launcher+=(--allow-run-as-root)
[ "$ranks" -gt "$(nproc)" ] && launcher+=(--oversubscribe)

IFS=, read -r -a collective_list <<<"$collectives"
for run in 1 2; do
    for c in "${collective_list[@]}"; do
        "${launcher[@]}" "$loom_bench" "$c" --min-bytes "$min_bytes" --max-bytes "$max_bytes" \
            --format json --out "$out/$c.$run.json" >/dev/null
    done
done

first=(); second=()
for c in "${collective_list[@]}"; do first+=("$out/$c.1.json"); second+=("$out/$c.2.json"); done
echo "$ranks ranks, $min_bytes..$max_bytes, calibrated on run 1, predicting run 2: median |error| per collective"
calibrate_and_compare "$out" "$target" "--bench ${first[*]} --base dgx-h100 --loss $loss" "${second[@]}"

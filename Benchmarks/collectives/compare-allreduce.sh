#!/usr/bin/env bash
# Is loom-bench's harness adding to what it measures? Runs loom-bench allreduce and a plain C
# MPI loop (allreduce_loop.c) side by side on this host, at one small message size, in
# alternating rounds (which one goes first alternates too), and prints the median per-call time
# of each and their ratio. The goal: loom-bench within 10% of the C loop.
#
# Usage: Benchmarks/collectives/compare-allreduce.sh   (from the repository root)
# Settings (environment): NP=2 BYTES=4 ITERS=20000 WARMUP=2000 ROUNDS=9 SCRATCH=.build-mpi
#   STRICT=1 makes a ratio above 1.10 an error (exit 1).
set -euo pipefail

NP=${NP:-2}
BYTES=${BYTES:-4}
ITERS=${ITERS:-20000}
WARMUP=${WARMUP:-2000}
ROUNDS=${ROUNDS:-9}
SCRATCH=${SCRATCH:-.build-mpi}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)

command -v mpicc >/dev/null || { echo "compare-allreduce: mpicc not found (apt-get install libopenmpi-dev)" >&2; exit 2; }
command -v mpirun >/dev/null || { echo "compare-allreduce: mpirun not found (apt-get install openmpi-bin)" >&2; exit 2; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

mpicc -O2 -o "$tmp/allreduce_loop" "$here/allreduce_loop.c"
(cd "$root" && swift build -c release --scratch-path "$SCRATCH" --product loom-bench >"$tmp/build.log" 2>&1) \
    || { cat "$tmp/build.log" >&2; exit 1; }
bench="$root/$SCRATCH/release/loom-bench"

mpi=(mpirun -np "$NP")
[ "$(id -u)" = 0 ] && mpi+=(--allow-run-as-root)
[ "$NP" -gt "$(nproc)" ] && mpi+=(--oversubscribe)

run_c() { "${mpi[@]}" "$tmp/allreduce_loop" "$BYTES" "$ITERS" "$WARMUP"; }
run_loom() {
    "${mpi[@]}" "$bench" allreduce --min-bytes "$BYTES" --max-bytes "$BYTES" --iters "$ITERS" \
        --warmup "$WARMUP" --format json | awk -F: '/"avg"/ { gsub(/[ ,]/, "", $2); printf "%.4f\n", $2 }'
}
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo "allreduce of $BYTES bytes (float, sum) on $NP ranks, $ITERS iterations after $WARMUP warm-up, $ROUNDS rounds"
printf "%6s %14s %14s\n" round "C loop (us)" "loom-bench (us)"
: >"$tmp/c"
: >"$tmp/loom"
for round in $(seq 1 "$ROUNDS"); do
    if [ $((round % 2)) = 1 ]; then
        c=$(run_c); loom=$(run_loom)
    else
        loom=$(run_loom); c=$(run_c)
    fi
    echo "$c" >>"$tmp/c"
    echo "$loom" >>"$tmp/loom"
    printf "%6d %14s %14s\n" "$round" "$c" "$loom"
done
c_median=$(median <"$tmp/c")
loom_median=$(median <"$tmp/loom")
ratio=$(awk -v a="$loom_median" -v b="$c_median" 'BEGIN { printf "%.3f", a / b }')
echo "median C loop:     $c_median us"
echo "median loom-bench: $loom_median us"
echo "ratio loom-bench / C: $ratio (goal: at most 1.10)"
if [ "${STRICT:-0}" = 1 ] && awk -v r="$ratio" 'BEGIN { exit !(r > 1.10) }'; then
    echo "compare-allreduce: loom-bench is more than 10% slower than the C loop" >&2
    exit 1
fi

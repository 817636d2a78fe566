#!/usr/bin/env bash
# Calibration across hosts, on one machine: two "hosts" as Linux network namespaces joined by a
# bridge, every host's link rate-limited with `tc tbf`. Measures loom-bench at two link rates,
# fits alpha-beta per collective and rate with `loom calibrate`, models how alpha and beta depend on
# the rate (p = p0 + p1/rate, Sources/Calibration/CALIBRATION.md), predicts a third rate and compares
# the prediction with a run measured at that rate (`loom compare-collectives`). Prints the median
# |error| per collective and over all sizes; exits 1 if it exceeds --target.
#
# Usage (as root):
#   Benchmarks/calibration/netns-calibrate.sh [--rates 100mbit,400mbit] [--predict 200mbit]
#       [--collectives allreduce,allgather,...] [--min-bytes 64K] [--max-bytes 4M] [--iters 10]
#       [--burst 32kb] [--queue 500ms] [--target 0.20] [--out DIR] [--priority] [--build-dir .build/release]
#   (the binaries: $LOOM and $LOOM_BENCH if set, else loom and loom-bench in --build-dir)
#   Benchmarks/calibration/netns-calibrate.sh probe     # exit 0 if namespaces work here
#
# Layout: namespaces lc<pid>-h0, lc<pid>-h1 with eth0 = 10.78.0.1, 10.78.0.2 (/24) and their own
# host names, cabled to bridge br0 in lc<pid>-sw. Nothing changes in the machine's own network
# namespace; everything is torn down on exit, on failure too. mpirun runs in h0 with a hostfile and
# an `ip netns exec` remote-shell agent (as Benchmarks/collectives/netns-cluster.sh does).
#
# Sizes start above the token bucket's burst (32 KB), where the link, not the bucket, sets the time:
# smaller messages leave at the veth's own speed and are not what a rate model can predict. The
# queue is deep (500 ms) so that TCP sees no drops, and every host runs without TCP slow start
# after idle, so that a size's time does not depend on the pause before it.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
subnet=10.78.0
prefix="lc$$"
hosts=2
rates=100mbit,400mbit
predict=200mbit
collectives=allreduce,allgather,reducescatter,alltoall,broadcast,sendrecv
min_bytes=64K
max_bytes=4M
iters=10
burst=32kb
queue=500ms
target=0.20
out=""
build_dir="$root/.build/release"
priority=0

die() { echo "netns-calibrate: $*" >&2; exit 1; }
# shellcheck source=common.sh
. "$here/common.sh"

# shellcheck source=../netns/hosts.sh
. "$here/../netns/hosts.sh"

probe() { netns_probe tc; }

teardown() {
    restore_priority
    netns_teardown
}

setup() {
    trap teardown EXIT
    trap 'exit 130' INT TERM
    # Named on stdout, so that a caller can check that exactly its own namespaces are gone.
    echo "namespace prefix: $prefix"
    netns_setup "$hosts"
}

# Every host's egress limited to $1 (token bucket: 32 KB burst, a 500 ms queue so that TCP never sees drops).
set_rate() { netns_set_rate "$1" "$burst" "$queue"; }

# loom-bench $1 across the hosts, JSON into $2.
bench() {
    netns_mpirun "$loom_bench" "$1" --min-bytes "$min_bytes" --max-bytes "$max_bytes" \
        --iters "$iters" --warmup 3 --timeout 120 --format json --out "$2" >/dev/null
}

case "${1:-}" in
    probe) probe; exit 0 ;;
esac
while [ $# -gt 0 ]; do
    case "$1" in
        --rates) rates=${2:?}; shift 2 ;;
        --predict) predict=${2:?}; shift 2 ;;
        --collectives) collectives=${2:?}; shift 2 ;;
        --min-bytes) min_bytes=${2:?}; shift 2 ;;
        --max-bytes) max_bytes=${2:?}; shift 2 ;;
        --iters) iters=${2:?}; shift 2 ;;
        --burst) burst=${2:?}; shift 2 ;;
        --queue) queue=${2:?}; shift 2 ;;
        --target) target=${2:?}; shift 2 ;;
        --out) out=${2:?}; shift 2 ;;
        --build-dir) build_dir=${2:?}; shift 2 ;;
        --priority) priority=1; shift ;;
        *) die "unknown option $1 (see the usage at the top of this script)" ;;
    esac
done
find_binaries "$build_dir"
probe
[ -n "$out" ] || out=$(mktemp -d /tmp/netns-calibrate.XXXXXX)
mkdir -p "$out"
setup
[ "$priority" = 1 ] && prioritise

IFS=, read -r -a rate_list <<<"$rates"
IFS=, read -r -a collective_list <<<"$collectives"
for rate in "${rate_list[@]}" "$predict"; do
    set_rate "$rate"
    for c in "${collective_list[@]}"; do
        bench "$c" "$out/$c.$rate.json"
    done
done

# One calibration from every collective at the calibration rates, the prediction at $predict.
files=(); file_rates=(); predicted=()
for c in "${collective_list[@]}"; do
    for rate in "${rate_list[@]}"; do files+=("$out/$c.$rate.json"); file_rates+=("$rate"); done
    predicted+=("$out/$c.$predict.json")
done
echo "calibrated at $rates, predicted at $predict: median |error| per collective"
calibrate_and_compare "$out" "$target" \
    "--bench ${files[*]} --link-rate ${file_rates[*]} --target-rate $predict --base dgx-h100" "${predicted[@]}"

# Shared by host-calibrate.sh and netns-calibrate.sh (sourced, not run): finding the binaries,
# scheduling priority on a shared machine, and the calibrate / compare / report step.

# Sets $loom and $loom_bench from $LOOM / $LOOM_BENCH or the build folder $1.
find_binaries() {
    loom=${LOOM:-$1/loom}
    loom_bench=${LOOM_BENCH:-$1/loom-bench}
    [ -x "$loom" ] && [ -x "$loom_bench" ] \
        || die "no loom or loom-bench at $loom, $loom_bench (swift build -c release, or pass --build-dir)"
    command -v jq >/dev/null || die "needs jq"
}

# --priority: the machine may be shared, and busy-polling MPI ranks that lose their core to other
# jobs measure the scheduler, not the transport. As root, give this session's processes the CPU
# first (autogroup nice -19, and nice -19 for this script and its children) until the script ends.
old_autogroup_nice=""
prioritise() {
    old_autogroup_nice=$(sed -n 's/.* nice //p' /proc/self/autogroup 2>/dev/null || true)
    echo -19 >/proc/self/autogroup 2>/dev/null || old_autogroup_nice=""
    renice -n -19 $$ >/dev/null 2>&1 || true
}

# Puts the session's priority back (called on exit).
restore_priority() {
    if [ -n "$old_autogroup_nice" ]; then echo "$old_autogroup_nice" >/proc/self/autogroup 2>/dev/null || true; fi
}

# calibrate_and_compare OUT TARGET "CALIBRATE ARGS..." COMPARE-FILES...: runs
# `loom calibrate` (output OUT/calibrated.yaml, report OUT/calibrate.txt), compares the files with
# it, prints the median |error| per collective and overall, and fails if that exceeds TARGET.
calibrate_and_compare() {
    local dir=$1 limit=$2 calibrate_args=$3
    shift 3
    # shellcheck disable=SC2086 # the calibrate arguments are words by design
    "$loom" calibrate $calibrate_args --out "$dir/calibrated.yaml" >"$dir/calibrate.txt"
    "$loom" compare-collectives --bench "$@" --cluster "$dir/calibrated.yaml" --format json >"$dir/compare.json"
    "$loom" compare-collectives --bench "$@" --cluster "$dir/calibrated.yaml" >"$dir/compare.txt"
    jq -r '.rows | group_by(.collective)[] | [.[0].collective, ([.[].error | fabs] | sort
           | if length % 2 == 1 then .[length / 2 | floor] else (.[length / 2 - 1] + .[length / 2]) / 2 end)]
           | "  \(.[0]): \(.[1] * 1000 | round / 10)%"' "$dir/compare.json"
    local median
    median=$(jq '.median_abs_error' "$dir/compare.json")
    echo "all sizes of all collectives: median |error| $median (target <= $limit); fits in $dir/calibrate.txt"
    awk -v m="$median" -v t="$limit" 'BEGIN { exit !(m <= t) }'
}

#!/usr/bin/env bash
# libFuzzer targets of Fuzz/ (issue 14): builds them with -sanitize=fuzzer,address and runs each
# for its share of SECONDS (default 60 in total), seeded from the repository's fixtures.
# Exits non-zero on any finding (crash, sanitizer report, input taking over 1 s, a non-finite
# figure, which the targets trap on); the reproducer is left in Fuzz/findings/<target>/.
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]     e.g. scripts/fuzz.sh 600 fuzz-estimate
#   FUZZ_RUNS=1000000 scripts/fuzz.sh 0        a fixed number of executions per target instead
#
# Prints, per target, the executions made and the findings, as the README's table records them.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
total=${1:-60}
shift || true
all=(fuzz-config-json fuzz-model-file fuzz-topology fuzz-bench-result fuzz-estimate fuzz-runs-file)
targets=("${@:-${all[@]}}")
[ ${#targets[@]} -eq 0 ] && targets=("${all[@]}")
per=$(( total / ${#targets[@]} ))
[ "$per" -lt 1 ] && per=1

# The Swift toolchain brings what this needs (swift.org's Linux toolchains ship clang's libFuzzer
# and ASan runtimes and lld); a toolchain without them cannot build the targets, say so plainly.
toolchain=$(cd "$(dirname "$(readlink -f "$(command -v swiftc)")")/.." && pwd)
for runtime in fuzzer asan; do
    if ! compgen -G "$toolchain/lib/clang/*/lib/linux/libclang_rt.$runtime-$(uname -m).a" >/dev/null; then
        echo "fuzz.sh: the Swift toolchain at $toolchain has no libclang_rt.$runtime-$(uname -m).a (clang's $runtime runtime)" >&2
        exit 1
    fi
done
if [ ! -x "$toolchain/bin/ld.lld" ] && ! command -v ld.lld >/dev/null 2>&1; then
    echo "fuzz.sh: no ld.lld, neither in the Swift toolchain at $toolchain nor on PATH (Fuzz/Package.swift links with lld)" >&2
    exit 1
fi

(cd Fuzz && swift build -c release -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library \
    -Xcc -fsanitize=fuzzer-no-link,address) >&2
bin=$(cd Fuzz && swift build -c release --show-bin-path)

# Seeds: the fixtures each reader is meant for (copied; libFuzzer adds to the working corpus).
seed() {
    local target=$1 dir=$root/Fuzz/corpus/$1
    mkdir -p "$dir"
    case $target in
        fuzz-config-json) cp Tests/WorkloadsTests/Fixtures/huggingface/*.json Tests/WorkloadsTests/Fixtures/loom/*.json "$dir"/ ;;
        fuzz-model-file) cp Tests/WorkloadsTests/Fixtures/loom/*.yaml "$dir"/ ;;
        fuzz-topology) cp Topologies/*.yaml "$dir"/ ;;
        fuzz-bench-result) ;;
        fuzz-runs-file) cp Validation/published-runs.json Validation/finetune-runs.json "$dir"/ ;;
        fuzz-estimate) printf '\x00\x00\x00\x00\x00\x00\x00\x08\x08\x08\x00\x00\x00\x00\x00\x04' > "$dir/seed-1" ;;
    esac
    # Fuzz/Seeds/<target>: seeds of its own and inputs that once failed (regressions).
    if [ -d "Fuzz/Seeds/${target#fuzz-}" ]; then cp Fuzz/Seeds/"${target#fuzz-}"/* "$dir"/; fi
}

# The Swift runtime's backtracer reads memory ASan flags; libFuzzer prints the stack itself.
export SWIFT_BACKTRACE=enable=no
status=0
printf '%-18s %12s %9s\n' target executions findings
for target in "${targets[@]}"; do
    seed "$target"
    findings=$root/Fuzz/findings/$target
    mkdir -p "$findings"
    log=$(mktemp)
    limit=(-max_total_time="$per")
    [ -n "${FUZZ_RUNS:-}" ] && limit=(-runs="$FUZZ_RUNS")
    # -timeout=1: an input taking over a second is a finding (issue 14's hang bound).
    # -rss_limit_mb: ASan's shadow memory included; a reader taking gigabytes is a finding.
    set +e
    "$bin/$target" "$root/Fuzz/corpus/$target" "${limit[@]}" -timeout=1 -rss_limit_mb=2560 -max_len=65536 \
        -artifact_prefix="$findings/" -print_final_stats=1 >"$log" 2>&1
    rc=$?
    set -e
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
    found=$(find "$findings" -type f | wc -l)
    printf '%-18s %12s %9s\n' "$target" "${runs:-0}" "$found"
    if [ "$rc" -ne 0 ] || [ "$found" -ne 0 ]; then
        status=1
        echo "$target: exit status $rc" >&2
        grep -E 'ERROR|SUMMARY|Fatal error|Test unit written' "$log" | head -5 >&2 || true
    fi
    rm -f "$log"
done
exit $status

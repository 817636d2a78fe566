#!/usr/bin/env bash
# Mutation testing of the cost model: applies each single-line change of scripts/mutants.txt
# (or a random sample of N of them) to a copy of the repository, builds the model-level targets
# and runs their tests, and counts the mutants the tests kill (some test case fails that passes
# on the unchanged code). The last line printed is "killed K of N".
#
#   scripts/mutants.sh                 # every mutant
#   scripts/mutants.sh --sample 10     # 10 random mutants
#   scripts/mutants.sh --list FILE     # another mutants list
#
# The repository is never modified: the script works in a copy ($LOOM_MUTANTS_DIR, default
# ${TMPDIR:-/tmp}/loom-mutants), rebuilt from the working tree at each start and kept between
# runs so that builds are incremental. The copy's manifest holds only the model-level targets
# (NameMatching, InputLimits, Workloads, Hardware, CostModel, Calibration) and their two test
# targets, so each mutant costs one incremental debug build of CostModel and its tests. A mutant that does not compile is reported
# and not counted. Not part of CI: a full run takes about a minute per mutant (README).
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
list="$repo/scripts/mutants.txt"
sample=0
while [[ $# -gt 0 ]]; do
    case "$1" in
        --sample) sample="${2:?--sample needs a count}"; shift 2 ;;
        --list) list="${2:?--list needs a file}"; shift 2 ;;
        -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
        *) echo "mutants.sh: unknown argument $1 (use --sample N or --list FILE)" >&2; exit 2 ;;
    esac
done
if ! [[ "$sample" =~ ^[0-9]+$ ]]; then
    echo "mutants.sh: --sample $sample is not a whole number" >&2; exit 2
fi
[[ -f "$list" ]] || { echo "mutants.sh: no mutants list at $list" >&2; exit 2; }

work="${LOOM_MUTANTS_DIR:-${TMPDIR:-/tmp}/loom-mutants}"
src="$work/src"
scratch="$work/build"
mkdir -p "$src" "$scratch"

# Copy the working tree (tracked and untracked, not ignored) without .build or .git.
rm -rf "$src/Sources" "$src/Tests"
(cd "$repo" && git ls-files -co --exclude-standard -z | grep -zv '^Reports/' | xargs -0 tar -cf - 2>/dev/null) \
    | tar -xf - -C "$src"
# Reuse the repository's resolved package checkouts so nothing is fetched.
if [[ -d "$repo/.build/checkouts" && ! -d "$scratch/checkouts" ]]; then
    cp -R "$repo/.build/checkouts" "$repo/.build/repositories" "$scratch/" 2>/dev/null || true
    [[ -f "$repo/.build/workspace-state.json" ]] && cp "$repo/.build/workspace-state.json" "$scratch/"
fi
# The copy's manifest: Loom's own, with only the model-level targets
# and their tests (each target entry copied as written, so it follows Package.swift).
python3 - "$repo/Package.swift" "$src/Package.swift" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
keep = {"NameMatching", "InputLimits", "Workloads", "Hardware", "CostModel", "Calibration", "CostModelTests", "CalibrationTests"}
entries = []
for match in re.finditer(r'\.(?:target|testTarget)\(name: "([^"]+)"', text):
    depth, end = 0, match.start()
    for end in range(match.start(), len(text)):
        depth += {"(": 1, ")": -1}.get(text[end], 0)
        if depth == 0 and text[end] == ")":
            break
    if match.group(1) in keep:
        entries.append("        " + text[match.start():end + 1] + ",")
head = text[:text.index("    products:")]
tail = text[text.index("    swiftLanguageModes"):]
dependencies = re.search(r"    dependencies: \[.*?\n    \],\n", text, re.S).group(0)
open(sys.argv[2], "w").write(head + dependencies + "    targets: [\n" + "\n".join(entries) + "\n    ],\n" + tail)
PY
find "$src/Tests" -mindepth 1 -maxdepth 1 -type d ! -name CostModelTests ! -name CalibrationTests -exec rm -rf {} +
# Mutated files are restored from this snapshot, not from the working tree, which may change
# while the script runs.
rm -rf "$work/pristine" && cp -R "$src/Sources" "$work/pristine"

# Mutants: "file ||| text ||| replacement", with the "#" line before each as its description.
mapfile -t mutants < <(awk '
    /^#/ { desc = substr($0, 3); next }
    /^[[:space:]]*$/ { next }
    { print desc "\t" $0; desc = "" }' "$list")
total=${#mutants[@]}
# Every mutant must apply (its text occurs exactly once) before anything is built, so a list that
# no longer follows the code fails at once rather than after an hour.
printf '%s\n' "${mutants[@]}" | python3 -c '
import sys
bad = []
for number, line in enumerate(sys.stdin.read().splitlines(), 1):
    spec = line.split("\t", 1)[1]
    path, old = spec.split(" ||| ")[:2]
    count = open(sys.argv[1] + "/" + path).read().count(old.replace("\\n", "\n"))
    if count != 1:
        bad.append(f"mutants.sh: mutant {number} ({path}) occurs {count} times: {old!r}")
if bad:
    sys.exit("\n".join(bad) + f"\nmutants.sh: fix {sys.argv[2]}")
' "$src/Sources" "$list" || exit 1
order=$(seq 0 $((total - 1)))
if (( sample > 0 && sample < total )); then order=$(shuf -n "$sample" -e $order | sort -n); fi

log="$work/last-run.log"
: > "$log"
build() { (cd "$src" && swift build --build-tests --scratch-path "$scratch" >>"$log" 2>&1); }
# A test run that outlives $LOOM_MUTANTS_TEST_TIMEOUT seconds (default 600; a run takes well under
# a minute) is run once more: under heavy load `swift test` has been seen to wait forever after its
# test process ended. A mutant whose tests hang twice counts as killed (no "Test run with" line).
runtests() {
    local limit="${LOOM_MUTANTS_TEST_TIMEOUT:-600}" out status attempt
    for attempt in 1 2; do
        status=0
        out="$(cd "$src" && timeout "$limit" swift test --skip-build --scratch-path "$scratch" 2>&1)" || status=$?
        (( status == 124 )) || break
        echo "mutants.sh: the test run timed out after ${limit}s (attempt $attempt)" >&2
    done
    printf '%s\n' "$out"
    return "$status"
}
# The failing test cases of a test run, one key per line (test name and arguments).
failures() {
    grep -E '^✘ Test ' | grep -v '^✘ Test run ' \
        | sed -E 's/ at [^ ]+\.swift:[0-9]+:[0-9]+:.*$//; s/ recorded an issue( with [0-9]+ arguments?)?//; s/ failed after .*$//' \
        | sort -u || true
}
restore() { [[ -n "${current:-}" ]] && cp "$work/pristine/$current" "$src/Sources/$current"; current=""; }
trap 'restore; echo "mutants.sh: interrupted; the repository was not modified" >&2; exit 130' INT TERM

uncovered=$(cd "$repo/Sources" && for f in CostModel/*.swift; do
    grep -q "^$f |||" "$list" || echo "$f"; done)
if [[ -n "$uncovered" ]]; then
    echo "mutants.sh: files of Sources/CostModel without a mutant in $list:"
    echo "$uncovered" | sed 's/^/  /'
fi
echo "mutants.sh: baseline build of $src (log: $log)"
build || { echo "mutants.sh: the unchanged copy does not build; see $log" >&2; exit 1; }
baseline="$(runtests | failures || true)"
if [[ -n "$baseline" ]]; then
    echo "mutants.sh: these test cases fail on the unchanged code and are ignored:"
    echo "$baseline" | sed 's/^/  /'
fi

killed=0; counted=0; survivors=(); unbuilt=()
current=""
for i in $order; do
    IFS=$'\t' read -r desc spec <<<"${mutants[$i]}"
    file="${spec%% ||| *}"; rest="${spec#* ||| }"
    current="$file"
    if ! python3 - "$src/Sources/$file" "$rest" <<'PY'
import sys
path, rest = sys.argv[1], sys.argv[2]
old, new = (part.replace('\\n', '\n') for part in rest.split(' ||| ', 1))
text = open(path).read()
if text.count(old) != 1:
    sys.exit(f"pattern occurs {text.count(old)} times in {path}: {old!r}")
open(path, 'w').write(text.replace(old, new))
PY
    then
        restore; echo "mutants.sh: mutant $((i + 1)) ($file) does not apply; fix $list" >&2; exit 1
    fi
    label="#$((i + 1)) $file: $desc"
    if ! build; then
        unbuilt+=("$label"); echo "did not build  $label"; restore; continue
    fi
    counted=$((counted + 1))
    output="$(runtests || true)"
    new="$(comm -13 <(echo "$baseline") <(echo "$output" | failures) | grep -v '^$' || true)"
    if [[ -n "$new" ]] || ! grep -q 'Test run with' <<<"$output"; then
        killed=$((killed + 1)); echo "killed         $label   [$(echo "$new" | head -1 | sed -E 's/^✘ Test //')]"
    else
        survivors+=("$label"); echo "SURVIVED       $label"
    fi
    restore
done

if (( ${#survivors[@]} > 0 )); then printf 'survivor: %s\n' "${survivors[@]}"; fi
if (( ${#unbuilt[@]} > 0 )); then printf 'did not build (not counted): %s\n' "${unbuilt[@]}"; fi
echo "killed $killed of $counted"

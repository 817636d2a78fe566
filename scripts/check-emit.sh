#!/usr/bin/env bash
# Check emitted launch configurations with the frameworks' own parsers and validators.
#
#   scripts/check-emit.sh [DIR]     DIR: a directory of cases (default Tests/emit/examples,
#                                   then also Tests/emit/rejected, which must all be rejected)
#
# Builds (or reuses) a Python 3.12 virtual environment in .venv-emit/ (LOOM_EMIT_VENV overrides)
# with the pinned packages of Tests/emit/requirements.txt (every transitive version held by
# Tests/emit/constraints.txt), then runs Tests/emit/run_all.py.
# Exits 0 with "skipped: <reason>" when LOOM_SKIP_EMIT_CHECK=1, when no Python 3.12 is found
# (LOOM_EMIT_PYTHON names one), or when pip cannot reach the package index.
# Measured on the 2-core development machine: first build 298-482 s with pip's cache warm,
# 6.7 GB (torch's CUDA wheels are most of it); a reuse takes seconds; the checks 122 s.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
EMIT="$ROOT/Tests/emit"
VENV="${LOOM_EMIT_VENV:-$ROOT/.venv-emit}"
TORCH_PIN="torch==2.15.0"
MAXTEXT_PIN="maxtext==0.2.5"

skip() { echo "check-emit skipped: $*"; exit 0; }

[ "${LOOM_SKIP_EMIT_CHECK:-0}" = "1" ] && skip "LOOM_SKIP_EMIT_CHECK=1"

is_python312() { "$1" -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 12) else 1)' >/dev/null 2>&1; }

find_python() {
    local candidate root
    root="$(pyenv root 2>/dev/null || echo "$HOME/.pyenv")"
    for candidate in "${LOOM_EMIT_PYTHON:-}" "$(command -v python3.12 || true)" \
                     "$root"/versions/3.12*/bin/python3.12 /usr/bin/python3.12 /usr/local/bin/python3.12; do
        if [ -n "$candidate" ] && [ -x "$candidate" ] && is_python312 "$candidate"; then
            echo "$candidate"
            return
        fi
    done
}

STAMP_TEXT="$TORCH_PIN $MAXTEXT_PIN $(cat "$EMIT/requirements.txt" "$EMIT/constraints.txt")"
STAMP="$(printf '%s' "$STAMP_TEXT" | sha256sum | cut -c1-16)"

if [ ! -f "$VENV/.loom-emit-stamp" ] || [ "$(cat "$VENV/.loom-emit-stamp")" != "$STAMP" ]; then
    PYTHON="$(find_python)"
    [ -n "$PYTHON" ] || skip "no working Python 3.12 found (megatron-core 0.19 and maxtext need it); set LOOM_EMIT_PYTHON"
    PROBE="$(mktemp -d)"
    if ! "$PYTHON" -m pip download --no-deps --disable-pip-version-check --timeout 20 --retries 1 \
            --dest "$PROBE" "packaging==26.4" >/dev/null 2>&1; then
        rm -rf "$PROBE"
        skip "pip cannot reach the package index"
    fi
    rm -rf "$PROBE"
    echo "check-emit: building $VENV with $("$PYTHON" --version)"
    START=$(date +%s)
    rm -rf "$VENV"
    "$PYTHON" -m venv "$VENV"
    PIP=("$VENV/bin/python" -m pip install --disable-pip-version-check --quiet -c "$EMIT/constraints.txt")
    # A CPU build of torch is used when the index offers one (pip prefers 2.15.0+cpu to 2.15.0);
    # the default PyPI wheel is CUDA-built and runs on CPU (its CUDA libraries are ~3 GB).
    "${PIP[@]}" "$TORCH_PIN"
    DS_BUILD_OPS=0 DS_ACCELERATOR=cpu "${PIP[@]}" --no-build-isolation -r "$EMIT/requirements.txt"
    "${PIP[@]}" --no-deps "$MAXTEXT_PIN"
    echo "$STAMP" > "$VENV/.loom-emit-stamp"
    echo "check-emit: environment built in $(( $(date +%s) - START )) s, $(du -sh "$VENV" | cut -f1)"
fi

CASES="${1:-}"
if [ -n "$CASES" ]; then
    [ -d "$CASES" ] || { echo "check-emit: $CASES is not a directory of cases" >&2; exit 2; }
    CASES="$(cd "$CASES" && pwd)"
fi

export DS_ACCELERATOR=cpu DS_BUILD_OPS=0 TOKENIZERS_PARALLELISM=false WANDB_MODE=disabled
export PYTHONWARNINGS="${PYTHONWARNINGS:-ignore}"
cd "$EMIT"
if [ -n "$CASES" ]; then
    exec "$VENV/bin/python" run_all.py "$CASES"
else
    exec "$VENV/bin/python" run_all.py "$EMIT/examples" --expect-reject "$EMIT/rejected"
fi

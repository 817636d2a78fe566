#!/usr/bin/env bash
# The whole test suite from a fresh clone: system packages, build, every test target, then a
# 60-second libFuzzer smoke run of Fuzz/ (issue 14), which fails the suite on any finding.
#
#   LOOM_FUZZ_SECONDS=N bash scripts/test.sh    the fuzz run's total seconds (default 60; 0 skips it)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-system-packages.sh
# mpirun refuses to run as root unless told; the collectives tests launch it.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
swift build --build-tests
swift test --skip-build
seconds=${LOOM_FUZZ_SECONDS:-60}
if [ "$seconds" -gt 0 ]; then
    start=$(date +%s)
    bash scripts/fuzz.sh "$seconds"
    echo "fuzz smoke run: $(( $(date +%s) - start )) s, build included" >&2
fi

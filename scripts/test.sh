#!/usr/bin/env bash
# The whole test suite from a fresh clone: system packages, build, every test target.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-system-packages.sh
# mpirun refuses to run as root unless told; the collectives tests launch it.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
swift build --build-tests
swift test --skip-build

#!/usr/bin/env bash
# Installs the Debian packages Loom needs when they are missing: OpenMPI for the collectives
# benchmark (libopenmpi-dev for building, openmpi-bin for mpirun). Safe to run repeatedly.
set -euo pipefail
missing=()
command -v mpirun >/dev/null 2>&1 || missing+=(openmpi-bin)
pkg-config --exists ompi-c 2>/dev/null || missing+=(libopenmpi-dev)
command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}" >&2
  sudo_cmd=""
  if [ "$(id -u)" -ne 0 ]; then sudo_cmd="sudo"; fi
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq libopenmpi-dev openmpi-bin pkg-config >/dev/null
fi

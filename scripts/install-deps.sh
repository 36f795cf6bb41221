#!/usr/bin/env bash
# Installs the Debian packages the build, tests, plots and benchmarks need, and only those missing.
# Idempotent: a second run with everything present does nothing (no apt-get call, no root needed).
set -euo pipefail

packages=(
  build-essential cmake
  libboost-dev libboost-math-dev libboost-program-options-dev
  libeigen3-dev libgsl-dev catch2
  gnuplot-nox python3 python3-numpy
)

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "install-deps: installing ${missing[*]}" >&2
sudo=""
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "install-deps: error: need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null

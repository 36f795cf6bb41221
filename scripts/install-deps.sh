#!/usr/bin/env bash
# Installs the Debian packages the build, tests, plots and the install (man pages by help2man, man-db to
# check them, pkg-config, dpkg-dev and file for make deb's dpkg-shlibdeps; pybind11 and Python's headers for
# the Python module, NumPy, pytest and matplotlib for its tests and examples) need, and only those missing; with --bench
# also the Python peers of `make bench` (SciPy, scikit-learn, PyTorch, Numba for /usr/bin/python3),
# which `make test` does not need; with --fuzz clang for `make fuzz`; with --cluster Slurm and munge for
# `make test-cluster` (scripts/slurm/local-cluster.sh). GNU parallel is always installed: make test runs a
# sharded sweep through it. Idempotent: with everything present it
# does nothing (no apt-get, no root).
set -euo pipefail

packages=(
  build-essential cmake
  libboost-dev libboost-math-dev libboost-program-options-dev
  libeigen3-dev libgsl-dev catch2
  gnuplot-nox
  help2man man-db pkg-config dpkg-dev file
  python3 python3-dev pybind11-dev python3-numpy python3-pytest python3-matplotlib
  parallel
)
if [[ "${1:-}" == "--bench" ]]; then
  packages+=(python3-scipy python3-sklearn python3-torch python3-numba)
fi
if [[ "${1:-}" == "--cluster" ]]; then
  packages+=(slurm-wlm munge)  # slurmctld, slurmd and the client commands; munged for their authentication
fi
if [[ "${1:-}" == "--fuzz" ]]; then
  packages+=(clang libomp-14-dev)  # make fuzz: libFuzzer and the sanitizers ship with clang; OpenMP for clang
fi

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

#!/usr/bin/env bash
# deb-install.sh DEB: installs the package with apt as a user would (needs root; skipped otherwise), runs
# the tools from / and the consumer project against /usr, then removes the package again.
set -euo pipefail
deb=$(realpath "$1")
src=$(cd "$(dirname "$0")/../.." && pwd)
[[ $(id -u) -eq 0 ]] || { echo "deb-install: skipped: apt install needs root"; exit 0; }
fail() { echo "FAIL: $*" >&2; exit 1; }
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -qq "$deb" >/dev/null
trap 'apt-get remove -y -qq mlderiv >/dev/null' EXIT
cd /
[[ $(command -v abc-min) == /usr/bin/abc-min ]] || fail "abc-min is not /usr/bin/abc-min"
abc-min solve 130
quanta-scaling fit --bootstrap 10 -q | grep -q '^5,240,' || fail "quanta-scaling fit does not find its data"
attn-sweep --version
work=$(mktemp -d)
cmake -S "$src/tests/install/consumer" -B "$work/b" >/dev/null && cmake --build "$work/b" >/dev/null || fail "find_package(mlderiv) against /usr"
"$work/b/rope_consumer"
rm -rf "$work"
echo "deb-install: $(basename "$deb") installs with apt and its tools run from /"

#!/usr/bin/env bash
# deb.sh BUILD: make deb's package (CPack) builds, declares the runtime packages it needs, holds the tools,
# libraries, headers, CMake and pkg-config files, data and pages under /usr, and its tools run once
# unpacked anywhere (dpkg-deb -x; installing it with apt is deb-install.sh, which needs root).
set -euo pipefail
build=$1
for p in cpack dpkg-deb dpkg-shlibdeps; do
  command -v "$p" >/dev/null || { echo "skipped: $p is not installed (make deps installs dpkg-dev)"; exit 77; }
done
fail() { echo "FAIL: $*" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rm -f "$build"/deb/mlderiv_*.deb
(cd "$build" && cpack -G DEB >"$work/cpack.log") || { cat "$work/cpack.log"; fail "cpack"; }
deb=$(ls "$build"/deb/mlderiv_*.deb)
echo "built $(basename "$deb") ($(du -k "$deb" | cut -f1) kB)"
depends=$(dpkg-deb -f "$deb" Depends)
echo "Depends: $depends"
for p in libboost-program-options libgsl libgomp1 libstdc++6 libc6; do
  [[ $depends == *"$p"* ]] || fail "Depends does not name $p"
done
files=$(dpkg-deb -c "$deb")
for f in usr/bin/abc-min usr/bin/attn-sweep usr/bin/quanta-scaling usr/share/mlderiv/chinchilla_fig4.csv \
         usr/include/mlderiv/rope/rope_sum.hpp usr/lib/libmlderiv_rope.a usr/lib/cmake/mlderiv/mlderivConfig.cmake \
         usr/lib/pkgconfig/mlderiv.pc usr/share/man/man1/attn-sweep.1 usr/share/bash-completion/completions/attn-sweep; do
  grep -q " \./$f$" <<<"$files" || fail "the package has no /$f"
done
dpkg-deb -x "$deb" "$work/root"
cd "$work"
"$work/root/usr/bin/abc-min" solve 130 -q | grep -q 23 || fail "abc-min solve 130 from the unpacked package"
"$work/root/usr/bin/quanta-scaling" fit --bootstrap 0 -q | grep -q '^5,240,' || fail "quanta-scaling fit from the unpacked package"
echo "the unpacked tools run"

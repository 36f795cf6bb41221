#!/usr/bin/env bash
# attn-sweep's softmax statistics engine: --device cuda against --device cpu on a fixed grid (both kinds of
# scores, with and without a needle, several scales in one pass). Both paths run in double and differ only
# in the order of their sums: every statistic must agree to 1e-9 relative (the entropy to 1e-9 of max(H, 1)),
# attn::cuda_cpu_tolerance in lib/attn/softmax_stats.hpp. Also times both on a larger batch.
set -euo pipefail
BIN=${BIN:-build-cuda/bin}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
compare() {  # compare CPU.csv GPU.csv LABEL
  awk -F, -v label="$3" '
    NR == FNR { if (FNR > 1) for (i = 3; i <= NF; ++i) cpu[FNR, i] = $i; next }
    FNR > 1 {
      for (i = 3; i <= NF; ++i) {
        a = cpu[FNR, i]; b = $i; d = a - b; if (d < 0) d = -d
        s = a < 0 ? -a : a; if (i == 4 && s < 1) s = 1; if (s < 1e-300) s = 1e-300
        if (d / s > worst) worst = d / s
      }
      rows++
    }
    END {
      printf "%s: %d rows, worst relative difference %.3g\n", label, rows, worst
      exit !(rows > 0 && worst <= 1e-9)
    }' "$1" "$2"
}
for kind in cosine gaussian; do
  for rho in -1 0.7; do
    args=(stats --kind "$kind" --d 64 --n 5000 --queries 96 --alphas 0.5,2,8,32,128 --needle-rho "$rho" --seed 7 -q)
    "$BIN/attn-sweep" "${args[@]}" --device cpu -o "$tmp/cpu.csv"
    "$BIN/attn-sweep" "${args[@]}" --device cuda -o "$tmp/gpu.csv"
    compare "$tmp/cpu.csv" "$tmp/gpu.csv" "$kind needle-rho $rho" || status=1
  done
done
for dev in cpu cuda; do
  "$BIN/attn-sweep" stats --d 128 --n 20000 --queries 400 --alphas 8,16,32,64,128,256 --device "$dev" -o /dev/null 2>&1 |
    sed 's/^/  /'
done
exit $status

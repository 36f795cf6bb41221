#!/usr/bin/env bash
# attn-sweep rope-base on the GPU against the CPU (run by scripts/gpu-check.sh with BIN set): the grid
# search for L = 1k .. 64k in double and float, the check of given bases, and the certificate of b*. The
# grid results and first negative m must be equal; minima may differ by the rounding of the sums (1e-9 in
# double, 1e-3 in float), and a base whose minimum lies that close to 0 could be judged differently (none
# at these L).
set -euo pipefail
exe="$BIN/attn-sweep"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
compare() {  # compare NAME TOLERANCE ARGS...: columns equal except minima within TOLERANCE
  local name=$1 tol=$2
  shift 2
  "$exe" "$@" --device cpu -q -o "$tmp/$name-cpu.csv"
  "$exe" "$@" --device cuda -q -o "$tmp/$name-cuda.csv"
  if /usr/bin/python3 - "$tmp/$name-cpu.csv" "$tmp/$name-cuda.csv" "$tol" <<'PY'
import csv, sys
a = list(csv.DictReader(open(sys.argv[1]))); b = list(csv.DictReader(open(sys.argv[2]))); tol = float(sys.argv[3])
assert len(a) == len(b), "row counts differ"
bad = 0
for ra, rb in zip(a, b):
    for k in ra:
        x, y = ra[k], rb[k]
        if k in ("min_f_at_grid", "paper_min_f", "min_f"):
            if abs(float(x) - float(y)) > tol: bad += 1; print(f"  {k}: cpu {x} cuda {y}")
        elif k in ("argmin_at_grid", "argmin"):
            continue  # ties between near-equal minima may fall either way
        elif x != y:
            bad += 1; print(f"  L={ra.get('L')} {k}: cpu {x} cuda {y}")
sys.exit(1 if bad else 0)
PY
  then echo "  $name: cpu and cuda agree"; else echo "  $name: cpu and cuda DIFFER"; status=1; fi
}
# The certificate: its full scans run on the GPU, its proofs on the CPU, so both devices must certify
# every L; the brackets may differ (other refuters, another walk) but must overlap within rel = 1e-6.
compare_certificate() {
  "$exe" rope-base --L 1k,4k,16k,64k --certify-max 65536 --device cpu -q -o "$tmp/cert-cpu.csv"
  "$exe" rope-base --L 1k,4k,16k,64k --certify-max 65536 --device cuda -q -o "$tmp/cert-cuda.csv"
  if /usr/bin/python3 - "$tmp/cert-cpu.csv" "$tmp/cert-cuda.csv" <<'PY'
import csv, sys
a = list(csv.DictReader(open(sys.argv[1]))); b = list(csv.DictReader(open(sys.argv[2])))
bad = 0
for ra, rb in zip(a, b):
    lo_a, hi_a, lo_b, hi_b = (float(r[k]) for r in (ra, rb) for k in ("b_star_lo", "b_star_hi"))
    ok = ra["certified"] == rb["certified"] == "true" and max(lo_a, lo_b) <= min(hi_a, hi_b) * (1 + 2e-6)
    if not ok: bad += 1
    print(f"  L={ra['L']}: cpu [{lo_a}, {hi_a}] {ra['certified']}, cuda [{lo_b}, {hi_b}] {rb['certified']}")
sys.exit(1 if bad else 0)
PY
  then echo "  certificate: cpu and cuda both certify, brackets overlap"; else echo "  certificate: DIFFER"; status=1; fi
}
compare grid-double 1e-9 rope-base --L 1k,2k,4k,8k,16k,32k,64k --certify-max 0
compare grid-float 1e-3 rope-base --L 1k,2k,4k,8k,16k --precision float
compare check 1e-9 rope-base --base 500000 --L 1k,8k,64k,1M
compare_certificate
exit $status

#!/usr/bin/env bash
# rnn-fixpoint: the CUDA element-wise scan against the CPU ones. scan-bench --device cuda times the GPU scan
# next to the sequential and chunked CPU scans and exits 1 when any differs from the sequential recurrence
# by more than 1e-12 relative; here we also require the GPU rows to be there. Needs $BIN (gpu-check.sh).
set -euo pipefail
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$BIN/rnn-fixpoint" scan-bench --device cuda --T-list 1000,100000,1000000 --d-list 16,64 --repeats 2 \
  -o "$out/scan.csv"
rows=$(grep -c '^diagonal_cuda,' "$out/scan.csv" || true)
if [[ "$rows" -ne 6 ]]; then
  echo "rnn-scan: expected 6 diagonal_cuda rows, got $rows" >&2
  exit 1
fi
awk -F, 'NR == 1 || $1 ~ /^diagonal_/ { print $1, $2, $3, $4, $6, $8, $9 }' "$out/scan.csv" | column -t

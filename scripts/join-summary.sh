#!/usr/bin/env bash
# Joins every results/<tool>/reproduce.csv into results/summary.csv: one header (the columns of
# 00-suite.md, `TOOL reproduce`), then each tool's rows in tool order. Written atomically.
set -euo pipefail
cd "$(dirname "$0")/.."
shopt -s nullglob
files=(results/*/reproduce.csv)
if [[ ${#files[@]} -eq 0 ]]; then
  echo "join-summary: no results/*/reproduce.csv yet; run make results" >&2
  exit 1
fi
header=$(head -n 1 "${files[0]}")
tmp=$(mktemp results/summary.csv.tmp.XXXXXX)
trap 'rm -f "$tmp"' EXIT
echo "$header" > "$tmp"
for f in "${files[@]}"; do
  if [[ "$(head -n 1 "$f")" != "$header" ]]; then
    echo "join-summary: error: $f has header '$(head -n 1 "$f")', expected '$header'" >&2
    exit 1
  fi
  tail -n +2 "$f" >> "$tmp"
done
mv "$tmp" results/summary.csv
trap - EXIT
scripts/summary-table.sh
echo "join-summary: results/summary.csv ($(($(wc -l < results/summary.csv) - 1)) claims from ${#files[@]} tools)" >&2

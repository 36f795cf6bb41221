#!/usr/bin/env bash
# Draws every results/<tool>/*.csv that has a gnuplot script scripts/plots/<tool>-<name>.gp into
# results/<tool>/<name>.png (CSV names hold no '-'). `plot.sh TOOL` draws only that tool's.
# A CSV missing from results/ is skipped with a note (run `make results`).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v gnuplot >/dev/null || { echo "plot: gnuplot not found (scripts/install-deps.sh installs it)" >&2; exit 1; }
only=${1:-}
shopt -s nullglob
for gp in scripts/plots/*.gp; do
  name=$(basename "$gp" .gp)               # abc-min-scaling: tool abc-min, CSV scaling.csv
  tool=${name%-*}
  csv_name=${name##*-}
  [[ -n "$only" && "$tool" != "$only" ]] && continue
  dir="results/$tool"
  if [[ ! -f "$dir/$csv_name.csv" ]]; then
    echo "plot: $dir/$csv_name.csv is missing; run make results" >&2
    continue
  fi
  gnuplot -e "csv='$dir/$csv_name.csv'; png='$dir/$csv_name.png'" "$gp"
  echo "plot: $dir/$csv_name.png"
done

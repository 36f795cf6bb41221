#!/usr/bin/env bash
# GNU parallel on this host, for real: a sweep run as shards by parallel (the README's one-liner and
# scripts/shard-parallel.sh) and merged equals the unsharded run byte for byte, CSV and summary.
#   tests/cluster/parallel.sh BINDIR SCRIPTSDIR
set -euo pipefail
bin=$1 scripts=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
sweep=(gaps --to-exp 14 --samples 20)
"$bin/abc-min" "${sweep[@]}" -o "$dir/whole.csv" 2>"$dir/whole.err"
# The README's form.
N=5
parallel --will-cite -k -j 2 "$bin/abc-min" "${sweep[@]}" --shard {}/$N -q -o "$dir/part-{}.csv" ::: $(seq 0 $((N - 1)))
"$bin/abc-min" merge "$dir"/part-*.csv -o "$dir/merged.csv" 2>"$dir/merged.err"
cmp "$dir/whole.csv" "$dir/merged.csv"
cmp "$dir/whole.err" "$dir/merged.err"
# The launcher, with the RoPE table's sweep (its points cost very different amounts).
"$bin/attn-sweep" rope-base --L 1k,2k,4k,8k,16k --certify-max 16384 --threads 1 -q -o "$dir/rope-whole.csv"
"$scripts/shard-parallel.sh" -j 2 3 "$dir/rope.csv" "$bin/attn-sweep" rope-base --L 1k,2k,4k,8k,16k \
  --certify-max 16384 --threads 1 2>/dev/null
cmp "$dir/rope-whole.csv" "$dir/rope.csv"
[[ ! -e "$dir/rope.csv.parts" ]]
# A shard that fails stops the launcher with its exit code and leaves no merged CSV.
if "$scripts/shard-parallel.sh" 2 "$dir/bad.csv" "$bin/abc-min" gaps --samples 0 2>/dev/null; then exit 1; fi
[[ ! -e "$dir/bad.csv" ]]
echo "GNU parallel: abc-min gaps in $N shards and attn-sweep rope-base in 3 merged byte for byte"

#!/usr/bin/env bash
# Runs one sweep as N shards with GNU parallel, then merges them: the CSV (and summary) of the unsharded run.
#
#   scripts/shard-parallel.sh [-j JOBS] [-S SSHLOGINS] N OUT.csv TOOL SUBCOMMAND [OPTIONS...]
#
# The shards are OUT.csv.parts/part-K.csv (with their meta.json and parallel's joblog); they are removed after
# a successful merge unless KEEP_PARTS=1. -j: jobs at once on each host (default: one per core; give each
# shard --threads 1 then). -S: GNU parallel's --sshlogin list ("4/node1,4/node2", ":" is this host): the other
# hosts must see TOOL and OUT.csv.parts at the same paths (a shared file system). A failed shard stops the rest
# (--halt now,fail=1); rerun the script with `parallel --resume-failed` by hand, or the whole sweep.
set -euo pipefail
usage() { echo "usage: $0 [-j JOBS] [-S SSHLOGINS] N OUT.csv TOOL SUBCOMMAND [OPTIONS...]" >&2; exit 2; }
jobs=() hosts=()
while getopts "j:S:" opt; do
  case $opt in
    j) jobs=(-j "$OPTARG") ;;
    S) hosts=(-S "$OPTARG") ;;
    *) usage ;;
  esac
done
shift $((OPTIND - 1))
[[ $# -ge 4 ]] || usage
n=$1 out=$2 tool=$3
shift 3
[[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "$0: N: expected a positive integer, got '$n'" >&2; exit 2; }
command -v parallel >/dev/null || { echo "$0: GNU parallel is not installed (apt-get install parallel)" >&2; exit 2; }
parts="$out.parts"
rm -rf "$parts" && mkdir -p "$parts"
parallel --will-cite --halt now,fail=1 --joblog "$parts/joblog" "${jobs[@]}" "${hosts[@]}" \
  "$tool" "$@" --shard '{}'/"$n" -q -o "$parts/part-{}.csv" ::: $(seq 0 $((n - 1)))
# Each shard's wall time, from parallel's joblog (column 4): what a split over nodes would take.
awk -v n="$n" 'NR > 1 { t = $4 + 0; s += t; if (NR == 2 || t < lo) lo = t; if (t > hi) hi = t }
  END { printf "shard-parallel: %d shards, each %.1f .. %.1f s (%.1f s in all)\n", n, lo, hi, s }' "$parts/joblog" >&2
"$tool" merge "$parts"/part-*.csv -o "$out"
[[ "${KEEP_PARTS:-0}" == 1 ]] || rm -rf "$parts"

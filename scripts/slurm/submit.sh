#!/usr/bin/env bash
# Submits a sweep to Slurm as N shards (a job array of sweep.sbatch) and its merge (merge.sbatch, run after
# every task succeeded: --dependency=afterok); prints the two job ids.
#
#   scripts/slurm/submit.sh N OUT.csv TOOL SUBCOMMAND [OPTIONS...] [-- SBATCH_OPTIONS...]
#
# The shards go to OUT.csv.parts/, the logs to the current directory (mlderiv-sweep-JOB_TASK.out). Extra
# sbatch options (a partition, --cpus-per-task, --time, a %M throttle is --array's) follow `--`. TOOL should
# be an absolute path that every node sees, as should OUT.csv. WAIT=1: wait for the merge job to end (sbatch
# --wait) and exit with its exit code.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
[[ $# -ge 4 ]] || { echo "usage: $0 N OUT.csv TOOL SUBCOMMAND [OPTIONS...] [-- SBATCH_OPTIONS...]" >&2; exit 2; }
n=$1 out=$2
shift 2
[[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "$0: N: expected a positive integer, got '$n'" >&2; exit 2; }
sweep=() extra=()
while [[ $# -gt 0 && "$1" != "--" ]]; do sweep+=("$1"); shift; done
[[ $# -gt 0 ]] && { shift; extra=("$@"); }
parts="$out.parts"
array=$(sbatch --parsable "${extra[@]}" --array=0-$((n - 1)) "$here/sweep.sbatch" "$parts" "${sweep[@]}")
array=${array%%;*}
merge_args=(--dependency=afterok:"$array" "$here/merge.sbatch" "$parts" "$out" "${sweep[0]}")
if [[ "${WAIT:-0}" == 1 ]]; then
  echo "$array"
  exec sbatch --wait "${extra[@]}" "${merge_args[@]}"
fi
merge=$(sbatch --parsable "${extra[@]}" "${merge_args[@]}")
echo "$array ${merge%%;*}"

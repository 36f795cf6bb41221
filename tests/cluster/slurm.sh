#!/usr/bin/env bash
# make test-cluster: a real one-node Slurm cluster (scripts/slurm/local-cluster.sh) runs a sweep as a 4-task
# job array and its merge job chained with --dependency=afterok (scripts/slurm/submit.sh, sbatch --wait); the
# merged CSV equals the unsharded run byte for byte. Then one task is killed mid-run: merge refuses (exit 2,
# naming the missing shard) until `scontrol requeue` has run it again, and the CSV is again the unsharded one.
# As root (slurmd runs the jobs); a cluster that does not come up fails the test with the reason.
#   tests/cluster/slurm.sh BINDIR
set -euo pipefail
bin=$(cd "$1" && pwd)
root=$(cd "$(dirname "$0")/../.." && pwd)
cluster="$root/scripts/slurm/local-cluster.sh"
dir=$(mktemp -d /tmp/mlderiv-cluster-test.XXXXXX)
state="$dir/slurm"
trap '"$cluster" stop "$state"; rm -rf "$dir"' EXIT
eval "$("$cluster" start "$state")"
cd "$dir"
sweep=("$bin/abc-min" gaps --samples 200)
"${sweep[@]}" -q -o whole.csv

t0=$(date +%s)
WAIT=1 "$root/scripts/slurm/submit.sh" 4 "$dir/merged.csv" "${sweep[@]}" >/dev/null
cmp whole.csv merged.csv
echo "slurm: 4-task array and merge job: merged CSV equals the unsharded run ($(($(date +%s) - t0)) s)"

job_state() { scontrol show job "$1" 2>/dev/null | grep -o 'JobState=[A-Z_]*' | head -1 | cut -d= -f2; }
wait_for() {  # JOB STATE...: until the job is in one of the states (60 s at most)
  local job=$1
  shift
  for _ in $(seq 600); do
    local s
    s=$(job_state "$job")
    for want in "$@"; do [[ "$s" == "$want" ]] && return 0; done
    sleep 0.1
  done
  echo "slurm: job $job still ${s:-unknown} after 60 s, expected $*" >&2
  return 1
}
array=$(sbatch --parsable --array=0-3 "$root/scripts/slurm/sweep.sbatch" "$dir/killed" "${sweep[@]}")
wait_for "${array}_2" RUNNING
sleep 0.3
scancel --batch --signal=TERM "${array}_2"
wait_for "${array}_2" FAILED CANCELLED
for k in 0 1 3; do wait_for "${array}_$k" COMPLETED; done
[[ ! -e killed/part-2.csv ]]
if "$bin/abc-min" merge killed/part-*.csv -o killed.csv 2>merge.err; then
  echo "slurm: merge accepted the shards of a killed task" >&2
  exit 1
fi
grep -q "1 of 4 shards missing: 2/4" merge.err
[[ ! -e killed.csv ]]
echo "slurm: task 2 killed mid-run ($(job_state "${array}_2")): merge refuses: $(cat merge.err)"
scontrol requeue "${array}_2"
# A requeued job waits two minutes before it is eligible again (Slurm's default); start it now.
scontrol update jobid="${array}_2" StartTime=now+1
wait_for "${array}_2" COMPLETED
"$bin/abc-min" merge killed/part-*.csv -q -o killed.csv
cmp whole.csv killed.csv
echo "slurm: task 2 requeued and run again: merge writes the unsharded CSV"

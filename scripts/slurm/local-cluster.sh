#!/usr/bin/env bash
# A real one-node Slurm cluster on this machine, for the tests (make test-cluster) and for trying the job
# scripts before a real cluster: Debian's munged, slurmctld and slurmd, run as root, with their own config,
# key, state, spool and logs in one directory (default /tmp/mlderiv-slurm), and their own ports.
#
#   scripts/slurm/local-cluster.sh start [DIR]   # prints the `export SLURM_CONF=...` line to use it
#   scripts/slurm/local-cluster.sh stop [DIR]    # stops the daemons and removes DIR
#
# Settings for a machine without systemd or cgroups (a container, a CI runner): proctrack/linuxproc,
# task/none, no accounting. Packages: scripts/install-deps.sh --cluster (slurm-wlm, munge).
set -euo pipefail
action=${1:-}
dir=${2:-/tmp/mlderiv-slurm}
say() { echo "local-cluster: $*" >&2; }
fail() { say "error: $*"; exit 1; }

pids() { cat "$dir"/run/*.pid 2>/dev/null || true; }

stop() {
  [[ -d "$dir" ]] || return 0
  for pid in $(pids); do kill "$pid" 2>/dev/null || true; done
  for _ in $(seq 50); do
    alive=0
    for pid in $(pids); do kill -0 "$pid" 2>/dev/null && alive=1; done
    [[ $alive == 0 ]] && break
    sleep 0.1
  done
  for pid in $(pids); do kill -9 "$pid" 2>/dev/null || true; done
  rm -rf "$dir"
}

start() {
  [[ $(id -u) == 0 ]] || fail "needs root (slurmd runs jobs as their users; munged as root needs --force)"
  for cmd in munged slurmctld slurmd sbatch scontrol; do
    command -v "$cmd" >/dev/null || fail "$cmd not found: scripts/install-deps.sh --cluster installs slurm-wlm and munge"
  done
  stop
  mkdir -p "$dir"/{run,log,state,spool,munge}
  chmod 700 "$dir/munge"
  local host cpus mem
  host=$(hostname -s)
  cpus=$(nproc)
  mem=$(($(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 / 2))
  dd if=/dev/urandom of="$dir/munge/munge.key" bs=1024 count=1 status=none
  chmod 400 "$dir/munge/munge.key"
  munged --force --key-file="$dir/munge/munge.key" --socket="$dir/munge/munge.socket" \
    --pid-file="$dir/run/munged.pid" --log-file="$dir/log/munged.log" --seed-file="$dir/munge/seed" ||
    fail "munged did not start (see $dir/log/munged.log)"
  cat >"$dir/slurm.conf" <<EOF
ClusterName=mlderiv
SlurmctldHost=$host
SlurmUser=root
SlurmctldPort=${SLURMCTLD_PORT:-16817}
SlurmdPort=${SLURMD_PORT:-16818}
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$dir/munge/munge.socket
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/run/slurmctld.pid
SlurmdPidFile=$dir/run/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SwitchType=switch/none
MpiDefault=none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
SchedulerType=sched/backfill
SlurmdTimeout=30
InactiveLimit=0
MinJobAge=300
KillWait=5
NodeName=$host CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=local Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
  export SLURM_CONF="$dir/slurm.conf"
  slurmctld -i || fail "slurmctld did not start (see $dir/log/slurmctld.log)"
  slurmd || fail "slurmd did not start (see $dir/log/slurmd.log)"
  for _ in $(seq 100); do
    if sinfo -h -N -o "%T" 2>/dev/null | grep -qE "^(idle|mixed|allocated)"; then
      say "up: node $host, $cpus CPUs, partition local; state in $dir"
      echo "export SLURM_CONF=$dir/slurm.conf"
      return 0
    fi
    sleep 0.2
  done
  tail -n 20 "$dir"/log/*.log >&2 || true
  fail "the node did not come up within 20 s (logs above)"
}

case "$action" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop [DIR]" >&2; exit 2 ;;
esac

#!/usr/bin/env bash
# Records the /proc and cgroup files the OS sampler's unit tests read (test/fixtures/os/), from this
# machine: a process tree with children (sh → busy sh loop + sleep, one Go binary with threads), a v1
# cgroup (cpuacct + memory) holding that tree, and a v2 group of the unified hierarchy (cpu.stat only:
# this machine's v2 has no memory controller). Run as root; leaves no process or cgroup behind.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$ROOT/test/fixtures/os"
rm -rf "$OUT/proc-tree" "$OUT/cgroup-v1" "$OUT/cgroup-v2-cpu-only"
mkdir -p "$OUT/proc-tree" "$OUT/cgroup-v1" "$OUT/cgroup-v2-cpu-only"

self_path() { sed -n "s/^[0-9]*:$1:\\(.*\\)$/\\1/p" /proc/self/cgroup; }
CPU=/sys/fs/cgroup/cpuacct$(self_path cpuacct)/hotswap-fixture-$$
MEM=/sys/fs/cgroup/memory$(self_path memory)/hotswap-fixture-$$
V2=/sys/fs/cgroup/unified$(self_path '')/hotswap-fixture-$$
mkdir "$CPU" "$MEM" "$V2"
cleanup() {
  [ -n "${TREE:-}" ] && kill -- -"$TREE" 2>/dev/null || true
  sleep 0.3
  rmdir "$CPU" "$MEM" "$V2" 2>/dev/null || true
}
trap cleanup EXIT

# The tree: its own process group (setsid) so cleanup reaches every member by the leader's id.
setsid sh -c "echo \$\$ > $CPU/cgroup.procs; echo \$\$ > $MEM/cgroup.procs; echo \$\$ > $V2/cgroup.procs;
  ( i=0; while [ \$i -lt 400000 ]; do i=\$((i+1)); done; sleep 30 ) &
  sleep 30 & '$ROOT/.tools/bin/go-httpbin' -host 127.0.0.1 -port 0 -log-level OFF & wait" &
TREE=$!
sleep 1.5

copy_proc() {
  local pid=$1 dir="$OUT/proc-tree/$1"
  mkdir -p "$dir"
  cp "/proc/$pid/stat" "/proc/$pid/status" "$dir/"
  for t in /proc/"$pid"/task/*; do
    local tid; tid=$(basename "$t")
    mkdir -p "$dir/task/$tid"
    cp "$t/stat" "$t/schedstat" "$t/children" "$dir/task/$tid/" 2>/dev/null || true
  done
  for c in $(cat /proc/"$pid"/task/*/children 2>/dev/null); do copy_proc "$c"; done
}
copy_proc "$TREE"
echo "$TREE" > "$OUT/proc-tree/ROOT_PID"

for f in cpuacct.usage cpuacct.stat cgroup.procs; do cp "$CPU/$f" "$OUT/cgroup-v1/$f"; done
for f in memory.usage_in_bytes memory.max_usage_in_bytes memory.stat; do cp "$MEM/$f" "$OUT/cgroup-v1/$f"; done
for f in cpu.stat cgroup.controllers; do cp "$V2/$f" "$OUT/cgroup-v2-cpu-only/$f"; done
cp /proc/self/mounts "$OUT/mounts"
cp /proc/self/cgroup "$OUT/self-cgroup"
echo "recorded into $OUT (root pid $TREE)"

#!/usr/bin/env bash
# Orchestration scaling on a localhost Orleans cluster (issue 8): trials/s of one tuner with 1, 2 and 4 worker
# processes using a STAND-IN runner (each item waits 100 ms instead of measuring: the machine has 2 cores, so
# this times the orchestration, not kernels), then the real runner with 1 and 2 workers and without a cluster.
# Usage: bench/scripts/cluster-scaling.sh [OUT]   (default artifacts/cluster)
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:-artifacts/cluster}
mkdir -p "$out"
./tessel --version > /dev/null   # build once, before workers start in parallel
cli=(dotnet exec artifacts/cli/Tessel.Cli.dll)
pids=()
stop_workers() { for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done; pids=(); sleep 1; }
trap stop_workers EXIT
start_workers() { # COUNT [ARGS...]
  local n=$1; shift
  for ((i = 0; i < n; i++)); do "${cli[@]}" worker --cluster localhost --index "$i" "$@" > "$out/worker-$i.log" 2>&1 & pids+=($!); sleep 2; done
  sleep 3
}
tune() { # NAME [ARGS...]
  local name=$1; shift
  rm -f "$out/$name.jsonl"
  "${cli[@]}" tune-op dense --data 1,512 --kernel 256,512 --tuner random --seed 1 --threads 1 --log "$out/$name.jsonl" --json "$@" > "$out/$name.json" 2> "$out/$name.err"
  python3 -c "import json,sys; d=json.load(open('$out/$name.json')); print(f\"$name: {d['measured']} trials in {d['tuning_s']:.1f} s = {d['measured']/d['tuning_s']:.2f} trials/s\")"
}
for n in 1 2 4; do
  start_workers "$n" --stand-in-ms 100
  tune "stand-in-$n" --trials 512 --batch-size 64 --cluster localhost
  stop_workers
done
for n in 1 2; do
  start_workers "$n"
  tune "real-$n" --trials 128 --batch-size 32 --cluster localhost
  stop_workers
done
tune real-local --trials 128 --batch-size 32

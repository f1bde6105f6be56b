#!/usr/bin/env bash
# Cross-model reuse through the tuning database (issue 8): zoo:resnet50_v1 tuned after zoo:resnet18_v1 is in the
# database (tasks already tuned are skipped, the others share the most similar tuned workload's schedules),
# against zoo:resnet50_v1 tuned in full from an empty database; then the model run with each, alternating.
# Usage: bench/scripts/reuse-across-models.sh [TRIALS] [OUT]   (defaults: 100 trials per task, artifacts/reuse)
set -euo pipefail
cd "$(dirname "$0")/../.."
trials=${1:-100}
out=${2:-artifacts/reuse}
mkdir -p "$out"
common=(--tuner model --trials "$trials" --threads 1 --seed 1 --json)

./tessel tune zoo:resnet18_v1 "${common[@]}" --db "$out/resnet18.db" > "$out/resnet18.json"
cp "$out/resnet18.db" "$out/reuse.db"
./tessel tune zoo:resnet50_v1 "${common[@]}" --db "$out/reuse.db" --skip-tuned $((trials / 2)) --share-tuned \
  --min-similarity 0.0001 --depend-mode top1 --share-pool 100% --refine 3 > "$out/resnet50-reuse.json"
./tessel tune zoo:resnet50_v1 "${common[@]}" --db "$out/full.db" > "$out/resnet50-full.json"

for round in 1 2 3 4 5; do
  ./tessel run zoo:resnet50_v1 --db "$out/full.db" --threads 1 --json > "$out/run-full-$round.json"
  ./tessel run zoo:resnet50_v1 --db "$out/reuse.db" --threads 1 --json > "$out/run-reuse-$round.json"
done

python3 - "$out" <<'PY'
import json, statistics, sys
out = sys.argv[1]
def load(name): return json.load(open(f"{out}/{name}"))
r18, reuse, full = load("resnet18.json"), load("resnet50-reuse.json"), load("resnet50-full.json")
lat = {side: statistics.median(load(f"run-{side}-{i}.json")["latency_ms"] for i in range(1, 6)) for side in ("full", "reuse")}
skipped = sum(t["skipped"] for t in reuse["tasks"])
shared = sum(t["depend"].startswith("tuned ") for t in reuse["tasks"])
print(f"resnet18_v1 full: {r18['tuning_s']:.0f} s, {r18['measured']} trials")
print(f"resnet50_v1 after resnet18_v1: {reuse['tuning_s']:.0f} s, {reuse['measured']} trials measured; "
      f"{skipped} of {len(reuse['tasks'])} tasks skipped (already tuned), {shared} shared from tuned workloads")
print(f"resnet50_v1 full: {full['tuning_s']:.0f} s, {full['measured']} trials")
print(f"time used {reuse['tuning_s'] / full['tuning_s']:.1%}; latency full {lat['full']:.2f} ms, reuse {lat['reuse']:.2f} ms, "
      f"achieved perf {lat['full'] / lat['reuse']:.1%} (median of 5 alternating runs each, 1 thread)")
PY

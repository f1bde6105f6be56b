#!/usr/bin/env bash
# The default selective scheme checked on models it was not chosen on (docs/SELECTIVE.md, "Held-out models"): for each
# seed and model, `tessel compare` tunes the model in full and selectively (the side tuned first alternating with the
# seed), then times the model with each log. Two pipelines, one pinned to each core, at 1 thread; each result is
# MODEL-sSEED.json in the directory given (logs beside it; a result already there is not run again).
# Usage: bench/scripts/selective-heldout.sh OUT_DIR [TRIALS_PER_TASK=30] [SEEDS="1 2 3"]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="$(mkdir -p "$1" && cd "$1" && pwd)"; trials="${2:-30}"; seeds="${3:-1 2 3}"
"$root/tessel" --help > /dev/null # build once, before the pipelines start
pipeline() {
  local core=$1; shift
  for seed in $seeds; do
    for m in "$@"; do
      case $m in
        ppocrv4) model="$root/tests/data/models/ppocrv4-rec.onnx"; shape=(--shape x=1,3,48,320);;
        cls) model="$root/tests/data/models/ppocr-mobile-v2.0-cls.onnx"; shape=(--shape x=1,3,48,192);;
        blazeface) model="$root/tests/data/models/blazeface-front-128.onnx"; shape=();;
        *) model="zoo:$m"; shape=();;
      esac
      local run="$out/$m-s$seed"
      [ -f "$run.json" ] && continue
      (cd "$out" && taskset -c "$core" "$root/tessel" compare "$model" "${shape[@]}" --trials "$trials" --threads 1 --seed "$seed" \
        --full-log "$run-full.jsonl" --selective-log "$run-sel.jsonl" --json > "$run.json.tmp" 2> "$run.err") && mv "$run.json.tmp" "$run.json"
    done
  done
}
pipeline 0 resnet18_v1 ppocrv4 cls &
pipeline 1 simple_pose_resnet18_v1b mobilenet0.5 blazeface &
wait

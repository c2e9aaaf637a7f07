#!/usr/bin/env bash
# Benchmark: `fleetpack plan` on synthetic fleets of 8,000 devices, against reading the same YAML and CSV
# with yaml-cpp alone, at several profile counts (the cost must grow linearly with profiles).
# Goal (issue: profiles at fleet scale): under 1 s and 200 MB at 8,000 devices on a 2-core machine.
#   bash bench/plan_bench.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
measure=$build/bench/fleetpack_measure
baseline=$build/bench/fleetpack_yaml_baseline
engine=examples/demo/build/engine.wasm
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
features=$("$build/fleetpack" inspect --json "$engine" | node -e \
  'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).features.map(f=>f.name).join(",")))')
printf "%-9s %-8s %-9s %12s %12s %14s %14s %8s\n" profiles devices variants "plan s" "yaml-cpp s" "plan RSS MiB" "yaml RSS MiB" ratio
for n in 100 300 1000 3000; do
  node bench/gen_fleet.js "$work/f$n" --profiles "$n" --devices 8000 --engine-features "$features" > "$work/summary"
  best_plan=999 best_yaml=999
  for run in 1 2 3; do  # best of three: the machine may be busy
    read -r t rss _ < <("$measure" "$build/fleetpack" plan --json --engine "$engine" --profiles "$work/f$n/profiles" \
                         --devices "$work/f$n/devices.csv" 2>&1 >"$work/plan.json" | tail -n 1)
    read -r ty rssy _ < <("$measure" "$baseline" "$work/f$n/profiles" "$work/f$n/devices.csv" 2>&1 >/dev/null | tail -n 1)
    best_plan=$(node -e "console.log(Math.min($best_plan,$t))"); best_yaml=$(node -e "console.log(Math.min($best_yaml,$ty))")
    plan_rss=$rss yaml_rss=$rssy
  done
  variants=$(node -e "console.log(JSON.parse(require('fs').readFileSync('$work/plan.json')).variants.length)")
  printf "%-9s %-8s %-9s %12.3f %12.3f %14.1f %14.1f %8.2f\n" "$n" 8000 "$variants" "$best_plan" "$best_yaml" \
    "$(node -e "console.log($plan_rss/1024)")" "$(node -e "console.log($yaml_rss/1024)")" \
    "$(node -e "console.log($best_plan/Math.max($best_yaml,1e-4))")"
done

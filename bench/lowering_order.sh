#!/usr/bin/env bash
# Benchmark: the two pipeline orders on real modules from npm (tests/third_party), for a Chrome 74-era
# profile that lacks trunc_sat and bulk memory, at Oz: optimize-first (one shared Binaryen run, then the
# lowerings: fleetpack's default) against lower-first (lowerings, then a Binaryen run of the variant's own).
# Prints shipped bytes and wall time of each, and the size difference.
#   bash bench/lowering_order.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
cache=$(bash tests/third_party/fetch.sh | tail -n 1)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/profiles"
printf 'id: first\nextends: chrome74\noptimize:\n  level: Oz\n' > "$work/profiles/first.yaml"
printf 'id: lowerfirst\nextends: first\noptimize:\n  order: lower-first\n' > "$work/profiles/lowerfirst.yaml"
printf "%-10s %10s %14s %10s %14s %10s %9s\n" module "input B" "opt-first B" "time s" "lower-first B" "time s" "size diff"
for m in sql-fmt sh-syntax; do
  for p in first lowerfirst; do
    read -r t _ _ < <("$build/bench/fleetpack_measure" "$build/fleetpack" build --engine "$cache/$m.wasm" \
                      --profiles "$work/profiles" -p "$p" --out "$work/out-$p" -j 1 --no-cache 2>&1 >/dev/null | tail -n 1)
    eval "t_$p=$t"
    eval "b_$p=$(stat -c %s "$work/out-$p/$m/0.0.0/$p/engine.wasm")"
  done
  printf "%-10s %10s %14s %10.2f %14s %10.2f %8.3f%%\n" "$m" "$(stat -c %s "$cache/$m.wasm")" "$b_first" "$t_first" \
    "$b_lowerfirst" "$t_lowerfirst" "$(node -e "console.log(100*($b_first-$b_lowerfirst)/$b_first)")"
done

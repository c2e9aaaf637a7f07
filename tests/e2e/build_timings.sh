#!/usr/bin/env bash
# `build --timings` says where the wall time went: one row per stage that ran (each per-variant step by
# name, the Binaryen runs, targets, budgets, release), zstd and the background wasm2js runs apart, and the
# build's wall time. The stages do not overlap (those two aside), so together they cannot exceed the wall
# time.
source "$(dirname "$0")/lib.sh"
setup
demo_project proj
cd proj
run_fp 0 build -p no-wasm-es5 -p modern --no-cache --timings
for stage in 'load, validate, detect features, plan' 'optimize (Binaryen, one run per level)' 'lower-sign-ext' \
  'strip' 'measure' 'measure (zstd figures of the engines)' 'lower-traps' 'wasm2js (preparing its input)' \
  'wasm2js (waiting for the background runs)' 'wasm2js (background runs, beside the stages above)' 'targets (bundle files)' 'budgets (JS figures, checks)' \
  'release (manifests, files, publish)' 'zstd (also in the stages above)' 'build (wall)'; do
  assert_matches "$OUT" "^$(re_escape "$stage") +[0-9 .%]+$"
done
# Two profiles in two variants at two levels: one Binaryen batch; wasm2js and lower-traps ran for the js
# variant only, and lower-sign-ext only where the profile lacks sign-ext (modern has it): a step with
# nothing to do is not counted as a run.
assert_matches "$OUT" '^optimize \(Binaryen, one run per level\) +1 +[0-9]+\.[0-9]{3} '
assert_matches "$OUT" '^wasm2js \(background runs, beside the stages above\) +1 +[0-9]+\.[0-9]{3} '
assert_matches "$OUT" '^lower-traps +1 +[0-9]+\.[0-9]{3} '
assert_matches "$OUT" '^lower-sign-ext +1 +[0-9]+\.[0-9]{3} '
assert_matches "$OUT" '^strip +2 +[0-9]+\.[0-9]{3} '
sum=$(sed -n '/^stage  /,/^build (wall)/p' "$OUT" | grep -v -e '^stage' -e '^zstd' -e '^wasm2js (background' -e '^build (wall)' |
  awk '{ s += $(NF - 1) } END { printf "%.3f", s }')
wall=$(awk '/^build \(wall\)/ { print $NF }' "$OUT")
awk -v s="$sum" -v w="$wall" 'BEGIN { exit !(s > 0 && s <= w + 0.01) }' ||
  fail "the stages add up to $sum s, the wall time is $wall s"
# Without --timings, no table.
run_fp 0 build -p modern --no-cache --out plain
assert_not_contains "$OUT" "build (wall)"

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

# Lowerings shared between groups: chrome74 lacks trunc_sat and bulk memory, tv-mg (a VM with mutable
# globals only) those two and sign-ext. At one level, tv-mg's first two lowerings are chrome74's, done
# once; its module and its lowering costs are what its own lowerings would have given.
printf 'id: tv-mg\nextends: modern\noptimize:\n  level: Os\nwasm:\n  features: [mutable-globals]\n' > profiles/tv-mg.yaml
printf 'id: tv-74\nextends: chrome74\noptimize:\n  level: Os\n' > profiles/tv-74.yaml
run_fp 0 build -p tv-74 -p tv-mg --no-cache --timings --out shared
assert_matches "$OUT" '^lower-nontrapping-float-to-int +1 +[0-9]+\.[0-9]{3} '
assert_matches "$OUT" '^lower-bulk-memory +1 +[0-9]+\.[0-9]{3} '
assert_matches "$OUT" '^lower-sign-ext +1 +[0-9]+\.[0-9]{3} '
costs() { grep -E "^$1 " "$2" | sed -E 's/.* ok +//'; }
cp "$OUT" shared.out
run_fp 0 build -p tv-mg --no-cache --out alone
[[ "$(costs tv-mg shared.out)" == "$(costs tv-mg "$OUT")" ]] ||
  fail "tv-mg's lowering costs differ when shared: $(costs tv-mg shared.out) vs $(costs tv-mg "$OUT")"
assert_contains shared.out "nontrapping-float-to-int +"
cmp shared/demo/1.0.0/profiles/tv-mg.json alone/demo/1.0.0/profiles/tv-mg.json ||
  fail "tv-mg's bundle differs when its lowerings are shared"

#!/usr/bin/env bash
# When the Binaryen worker dies (FLEETPACK_TEST_WORKER_FAULT="optimize Os" makes the worker for level Os
# abort), the build exits 4 (internal error), stderr says the optimizer died, naming the profiles and the
# signal, the table marks the profiles FAILED, and nothing is written.
source "$(dirname "$0")/lib.sh"
setup
demo_project proj
cd proj
engine_re=$(re_escape "$DEMO_ENGINE")

FLEETPACK_TEST_WORKER_FAULT="optimize Os" run_fp 4 build
# One error for the level, naming every profile built at that level (both demo profiles use Os).
died_re="^$engine_re: error: Binaryen's optimizer died while optimizing at Os for profiles? [^:]*"
assert_matches "$ERR" "$died_re: killed by signal 6 \(Aborted\)$"
assert_matches "$ERR" "$died_re'modern'"
assert_matches "$ERR" "$died_re'stick-2022'"
assert_matches "$ERR" '^  hint: .+'
for p in modern stick-2022; do assert_matches "$OUT" "^$p +[0-9a-f]{12} +Os +[0-9]+ +- +- +FAILED +-$"; done
assert_contains "$OUT" "nothing written"
assert_no_files dist

# The fault is specific to the level: a worker for another level is unaffected.
FLEETPACK_TEST_WORKER_FAULT="optimize Oz" run_fp 0 build
assert_file dist/demo/1.0.0/profiles/modern.json

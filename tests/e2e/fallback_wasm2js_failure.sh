#!/usr/bin/env bash
# wasm2js runs in the background while the build does the other variants (passes/wasm2js.h). When it dies
# (FLEETPACK_TEST_WORKER_FAULT="wasm2js Oz" aborts its worker) or fails (a wasm2js that exits 1), the build
# still exits 4 with one error naming every profile the fallback serves (the js and the auto profile), the
# Wasm-only profile is built, the others are FAILED, and nothing is written.
source "$(dirname "$0")/lib.sh"
setup
demo_project proj
cd proj
sed -i -E 's/^select:.*$/select: [no-wasm-es5, tv-2020, modern]/' fleetpack.yaml
engine_re=$(re_escape "$DEMO_ENGINE")
failed_re="^$engine_re: error: wasm2js failed on the lowered module of profiles 'no-wasm-es5', 'tv-2020': "

FLEETPACK_TEST_WORKER_FAULT="wasm2js Oz" run_fp 4 build --no-cache
assert_matches "$ERR" "${failed_re}killed by signal 6 \(Aborted\)$"
assert_matches "$ERR" '^  hint: this is a wasm2js failure after fleetpack'"'"'s lowerings'
for p in no-wasm-es5 tv-2020; do assert_matches "$OUT" "^$p +[0-9a-f]{12} +Oz +[0-9]+ +- +- +FAILED +-$"; done
assert_matches "$OUT" "^modern +[0-9a-f]{12} +Os +[0-9]+ +[0-9]+ +[0-9]+ +ok +-$"
assert_contains "$OUT" "nothing written"
assert_no_files dist

# A wasm2js that fails: its own message is in the error.
printf '#!/bin/sh\necho "wasm2js: cannot translate this" >&2\nexit 1\n' > failing-wasm2js
chmod +x failing-wasm2js
FLEETPACK_WASM2JS="$PWD/failing-wasm2js" run_fp 4 build --no-cache
# The tool's output, then how it ended, once each.
assert_matches "$ERR" "${failed_re}wasm2js: cannot translate this$"
assert_matches "$ERR" "^wasm2js exited with status 1$"
[[ $(grep -c "cannot translate this" "$ERR") == 1 ]] || fail "the tool's output is repeated"
assert_no_files dist

# And with a working wasm2js the same fleet builds.
run_fp 0 build --no-cache
assert_file dist/demo/1.0.0/profiles/tv-2020.json

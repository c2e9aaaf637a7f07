#!/usr/bin/env bash
# The demo engine's JS fallback behaves like its Wasm: the hand-computed checks of
# examples/demo/test_engine.js pass on the fallback in node --jitless (no WebAssembly), and
# `fleetpack verify-fallback` finds no difference over 2,000 generated calls between the Wasm in node, the
# fallback in node --jitless and the fallback in Duktape (ES5). An auto bundle's loader picks Wasm where
# node has it and the fallback where it does not.
source "$(dirname "$0")/lib.sh"
setup
require_tool "$NODE"
demo_project proj
cd proj
mkdir -p profiles
cat > profiles/tv-auto.yaml <<'YAML'
# A Chrome 75-era TV whose app must also run where WebAssembly is missing or disabled.
id: tv-auto
extends: chrome75
target: auto
js:
  level: es5
YAML
sed -i -E 's/^select:.*$/select: [no-wasm-es5, tv-auto, modern]/' fleetpack.yaml

run_fp 0 build
release=dist/demo/1.0.0
assert_contains "$OUT" "no-wasm-es5"
[[ $(jq -r .target "$release/profiles/no-wasm-es5.json") == js ]] || fail "no-wasm-es5 is not a js bundle"
[[ $(jq -r .entry "$release/profiles/no-wasm-es5.json") == engine.js ]] || fail "no-wasm-es5's entry is not engine.js"
jq -e '.files | map(.path) | index("engine.wasm") == null' "$release/profiles/no-wasm-es5.json" >/dev/null ||
  fail "a js bundle ships engine.wasm"

# The hand-computed checks, on the fallback (node --jitless has no WebAssembly at all).
js=$(bundle_file "$release" no-wasm-es5 engine.js)
bundle_file "$release" no-wasm-es5 engine.fallback.js >/dev/null  # beside it, as the loader expects
expect_exit 0 "$NODE" --jitless "$SOURCE_DIR/examples/demo/test_engine.js" "$js"
assert_contains "$OUT" "loader chose js: this profile ships the JS fallback only"
assert_contains "$OUT" "all checks passed"

# auto: Wasm where the VM has it (every probe validates in node), the fallback where it does not.
auto_dir=$(dirname "$(bundle_file "$release" tv-auto engine.js)")
bundle_file "$release" tv-auto engine.wasm >/dev/null
bundle_file "$release" tv-auto engine.fallback.js >/dev/null
expect_exit 0 "$NODE" "$SOURCE_DIR/examples/demo/test_engine.js" "$auto_dir/engine.js"
assert_contains "$OUT" "loader chose wasm: WebAssembly runs the engine (uses sign-ext"
assert_contains "$OUT" "all checks passed"
expect_exit 0 "$NODE" --jitless "$SOURCE_DIR/examples/demo/test_engine.js" "$auto_dir/engine.js"
assert_contains "$OUT" "loader chose js: this VM has no WebAssembly"
assert_contains "$OUT" "all checks passed"

# Thousands of generated calls, three engines.
run_fp 0 verify-fallback "$release" -p no-wasm-es5 --engine "$DEMO_ENGINE" --count 2000 --seed 7
assert_contains "$OUT" "2000 calls"
assert_contains "$OUT" "Duktape (fallback)"
assert_contains "$OUT" "no difference"
note "$(head -n 1 "$OUT")"
run_fp 0 verify-fallback "$release" -p tv-auto --engine "$DEMO_ENGINE" --count 500 --seed 8
assert_contains "$OUT" "no difference"

# A temporary folder that cannot be made is a usage error, not a crash.
TMPDIR="$SCRATCH/no-such-dir" run_fp 2 verify-fallback "$release" -p tv-auto --engine "$DEMO_ENGINE" --count 5
assert_contains "$ERR" "cannot create a temporary folder"
assert_contains "$ERR" "set TMPDIR to an existing, writable folder"

# A wasm bundle has no fallback to verify: a usage error naming the profile.
run_fp 2 verify-fallback "$release" -p modern --engine "$DEMO_ENGINE"
assert_contains "$ERR" "profile 'modern' has target wasm"

# The harness can fail: the demo fallback against another engine (the fixture) differs.
expect_exit 0 "$WAT2WASM" "$SOURCE_DIR/tests/e2e/fixtures/fallback_semantics.wat" -o other.wasm
run_fp 1 verify-fallback "$release" -p no-wasm-es5 --engine other.wasm --count 50
assert_contains "$ERR" "the fallback differs from the Wasm"

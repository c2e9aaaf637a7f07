#!/usr/bin/env bash
# Optimizing and stripping keep the engine's behaviour: examples/demo/test_engine.js (layouts and values
# worked out by hand) passes on the input and on every profile's output.
source "$(dirname "$0")/lib.sh"
setup
require_tool "$NODE"
demo_project proj
cd proj

# Control: the checks pass on the input as built.
expect_exit 0 "$NODE" "$SOURCE_DIR/examples/demo/test_engine.js" "$DEMO_ENGINE"
assert_contains "$OUT" "all checks passed"

run_fp 0 build
for p in modern stick-2022; do
  f=$(bundle_file dist/demo/1.0.0 "$p" engine.wasm)
  assert_file "$f"
  cmp -s "$f" "$DEMO_ENGINE" && fail "$f is the input unchanged: nothing was optimized"
  expect_exit 0 "$NODE" "$SOURCE_DIR/examples/demo/test_engine.js" "$f"
  assert_contains "$OUT" "all checks passed"
  assert_not_matches "$OUT" '^(not ok|FAIL)'
  note "$p: $(grep -c '^ok ' "$OUT") checks passed on $f"
done

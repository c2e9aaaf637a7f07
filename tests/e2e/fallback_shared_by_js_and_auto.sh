#!/usr/bin/env bash
# One JS fallback per optimize level (and strip policy): a js profile and two auto profiles whose Wasm
# engines are lowered differently (chrome74 lacks two features the demo uses, modern has them all), all at
# Oz, get their fallback from one wasm2js run; an auto profile at Os gets its own. The bundles of a level
# ship it as one file, byte for byte (engine.fallback.js: one release file, compressed once per zstd
# level). Every auto bundle still runs the demo's hand-computed checks on its fallback (node --jitless) and
# on its Wasm (node).
source "$(dirname "$0")/lib.sh"
setup
require_tool "$NODE"
real_wasm2js=$(command -v wasm2js) || skip "wasm2js is not installed"
demo_project proj
cd proj
# Counts the wasm2js runs the build starts (FLEETPACK_WASM2JS, passes/wasm2js.cpp), then runs the tool.
cat > "$SCRATCH/wasm2js-counting" <<SH
#!/usr/bin/env bash
echo "\$*" >> "$SCRATCH/wasm2js.log"
exec "$real_wasm2js" "\$@"
SH
chmod +x "$SCRATCH/wasm2js-counting"
printf 'id: tv-auto-a\nextends: chrome74\ntarget: auto\noptimize:\n  level: Oz\n' > profiles/tv-auto-a.yaml
printf 'id: tv-auto-b\nextends: modern\ntarget: auto\njs:\n  module: script\noptimize:\n  level: Oz\n' > profiles/tv-auto-b.yaml
printf 'id: tv-auto-os\nextends: chrome74\ntarget: auto\noptimize:\n  level: Os\n' > profiles/tv-auto-os.yaml

FLEETPACK_WASM2JS="$SCRATCH/wasm2js-counting" \
  run_fp 0 build -p no-wasm-es5 -p tv-auto-a -p tv-auto-b -p tv-auto-os --no-cache
release=dist/demo/1.0.0
# The two auto profiles at Oz really are two variants with different engines.
a=$(jq -r '.files[] | select(.path == "engine.wasm") | .sha256' "$release/profiles/tv-auto-a.json")
b=$(jq -r '.files[] | select(.path == "engine.wasm") | .sha256' "$release/profiles/tv-auto-b.json")
[[ -n "$a" && -n "$b" && "$a" != "$b" ]] || fail "tv-auto-a and tv-auto-b should ship different engines"
runs=$(wc -l < "$SCRATCH/wasm2js.log")
[[ "$runs" == 2 ]] || { cat "$SCRATCH/wasm2js.log"; fail "expected 2 wasm2js runs (Oz, Os), got $runs"; }
grep -q -- ' -Oz' "$SCRATCH/wasm2js.log" || fail "no wasm2js run at Oz"
grep -q -- ' -Os' "$SCRATCH/wasm2js.log" || fail "no wasm2js run at Os"

# One fallback file per level, shared by the js and auto bundles; the entry scripts differ (target, probes).
fallback_sha() { jq -r '.files[] | select(.path == "engine.fallback.js") | .sha256' "$release/profiles/$1.json"; }
oz=$(fallback_sha no-wasm-es5)
[[ -n "$oz" && "$(fallback_sha tv-auto-a)" == "$oz" && "$(fallback_sha tv-auto-b)" == "$oz" ]] ||
  fail "the Oz profiles should ship one engine.fallback.js: $oz, $(fallback_sha tv-auto-a), $(fallback_sha tv-auto-b)"
[[ -n "$(fallback_sha tv-auto-os)" && "$(fallback_sha tv-auto-os)" != "$oz" ]] ||
  fail "the Os profile should ship its own engine.fallback.js"
entry_sha() { jq -r '.files[] | select(.path == "engine.js") | .sha256' "$release/profiles/$1.json"; }
[[ "$(entry_sha no-wasm-es5)" != "$(entry_sha tv-auto-a)" ]] || fail "the js and auto entry scripts should differ"

for p in tv-auto-a tv-auto-b tv-auto-os; do
  dir=$(dirname "$(bundle_file "$release" "$p" engine.js)")
  bundle_file "$release" "$p" engine.fallback.js >/dev/null
  bundle_file "$release" "$p" engine.wasm >/dev/null
  expect_exit 0 "$NODE" --jitless "$SOURCE_DIR/examples/demo/test_engine.js" "$dir/engine.js"
  assert_contains "$OUT" "loader chose js"
  assert_contains "$OUT" "all checks passed"
  expect_exit 0 "$NODE" "$SOURCE_DIR/examples/demo/test_engine.js" "$dir/engine.js"
  assert_contains "$OUT" "loader chose wasm"
  assert_contains "$OUT" "all checks passed"
done
js=$(bundle_file "$release" no-wasm-es5 engine.js)
bundle_file "$release" no-wasm-es5 engine.fallback.js >/dev/null
expect_exit 0 "$NODE" --jitless "$SOURCE_DIR/examples/demo/test_engine.js" "$js"
assert_contains "$OUT" "all checks passed"

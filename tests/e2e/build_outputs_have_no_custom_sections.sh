#!/usr/bin/env bash
# The demo profiles keep no custom sections (strip.keep: []), so the shipped engines have none: the
# input's "name", "producers" and "target_features" sections are all gone (wasm-objdump -h).
source "$(dirname "$0")/lib.sh"
setup
require_tool "$WASM_OBJDUMP"
demo_project proj
cd proj

# Control: the input does have custom sections, so their absence below means they were stripped.
expect_exit 0 "$WASM_OBJDUMP" -h "$DEMO_ENGINE"
for s in name producers target_features; do assert_matches "$OUT" "^ *Custom start=.*\"$s\"$"; done

run_fp 0 build
for p in modern stick-2022; do
  f=$(bundle_file dist/demo/1.0.0 "$p" engine.wasm)
  expect_exit 0 "$WASM_OBJDUMP" -h "$f"
  assert_matches "$OUT" '^ *Code start='
  assert_not_matches "$OUT" '^ *Custom '
  # fleetpack's own view of the output agrees.
  run_fp 0 inspect --json "$f"
  "$NODE" -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const custom = r.sections.filter(s => s.custom || s.id === 0);
    if (custom.length) { console.error("custom sections:", custom); process.exit(1); }
    if (r.functions.has_names) { console.error("functions.has_names is true"); process.exit(1); }
  ' "$OUT" || fail "$f: inspect --json reports custom sections or names"
done

#!/usr/bin/env bash
# Symbol maps: the shipped engine has no names, its release has symbols/<sha256>.map beside (not inside)
# the bundles, and `fleetpack symbolicate` turns a real V8 stack trace of the stripped engine (a trap in
# hash_bytes, reading out of bounds) back into function names.
source "$(dirname "$0")/lib.sh"
setup
demo_project proj
cd proj
run_fp 0 build -p modern
engine=$(bundle_file dist/demo/1.0.0 modern engine.wasm)
map=dist/demo/1.0.0/symbols/$(sha256sum "$engine" | cut -d' ' -f1).map
[[ -f "$map" ]] || fail "no symbol map $map"
assert_contains "$map" " hash_bytes"
assert_not_contains dist/demo/1.0.0/profiles/modern.json ".map"  # not shipped in the bundle

cat > trap.js <<'JS'
const bytes = require('fs').readFileSync(process.argv[2]);
const imports = { env: { log_i32: () => {}, now_ms: () => 0 } };
WebAssembly.instantiate(bytes, imports).then(({ instance }) => {
  try { instance.exports.hash_bytes(0xfffffff0, 64); console.log('no trap'); }
  catch (e) { console.log(e.stack); }
});
JS
expect_exit 0 "$NODE" trap.js "$engine"
cp "$OUT" trace.txt
assert_matches trace.txt "wasm-function\[[0-9]+\]"
assert_not_contains trace.txt "hash_bytes"
run_fp 0 symbolicate "$map" trace.txt
assert_matches "$OUT" "hash_bytes \(wasm-function\[[0-9]+\]\)"
# Standard input works too, and a file that is not a map is refused with its name.
"$FLEETPACK" symbolicate "$map" < trace.txt | grep -q "hash_bytes (wasm-function" || fail "stdin trace not symbolicated"
run_fp 3 symbolicate trace.txt trace.txt
assert_matches "$ERR" "^trace\.txt:1:1: error: not a fleetpack symbol map$"

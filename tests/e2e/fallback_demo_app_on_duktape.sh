#!/usr/bin/env bash
# The whole demo app on an ES5 engine without WebAssembly, as a 2016 TV would run it: Duktape's own
# interpreter (`duk`, Debian's duktape package) loads the no-wasm-es5 bundle's engine.fallback.js and
# engine.js, then the app's ui.js and main.js, in that order, as classic scripts (duk cannot download:
# the fallback is loaded first, as a second script tag would). The app prints exactly what it prints in node on
# the engine as built (the layout table, hit test and animation frames), apart from the line saying which
# engine the loader chose.
source "$(dirname "$0")/lib.sh"
setup
require_tool "$NODE"
DUK=${DUK:-$(command -v duk || true)}
[[ -x "$DUK" ]] || fail "duk (Debian package duktape) is not installed; scripts/dev.sh installs it"
demo_project proj
cd proj
sed -i -E 's/^select:.*$/select: [no-wasm-es5]/' fleetpack.yaml
run_fp 0 build
release=dist/demo/1.0.0
fallback=$(bundle_file "$release" no-wasm-es5 engine.fallback.js)
js=$(bundle_file "$release" no-wasm-es5 engine.js)
ui=$(bundle_file "$release" no-wasm-es5 app/ui.js)
main=$(bundle_file "$release" no-wasm-es5 app/main.js)
printf 'var console = { log: function (s) { print(s); } };\n' > console.js

expect_exit 0 "$NODE" "$SOURCE_DIR/examples/demo/app/main.js" "$DEMO_ENGINE"
cp "$OUT" node.out
expect_exit 0 "$DUK" console.js "$fallback" "$js" "$ui" "$main"
cp "$OUT" duk.out
assert_contains duk.out "engine: js (this profile ships the JS fallback only)"
assert_contains node.out "layout: 22 nodes"
grep -v '^engine: ' duk.out > duk.app.out
diff -u node.out duk.app.out || fail "the app prints something else on Duktape than on the Wasm engine"
note "$(grep -c '' node.out) lines identical"

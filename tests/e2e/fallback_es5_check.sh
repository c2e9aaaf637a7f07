#!/usr/bin/env bash
# Every script an es5 profile ships is compiled in Duktape and scanned for the ES2015 syntax Duktape lets
# through: the app's own ES2015 fails the build at file:line:col (exit 1); the same files pass for a
# profile whose engines run ES2017; the scripts fleetpack generates pass.
source "$(dirname "$0")/lib.sh"
setup
require_demo_engine
mkdir -p app
printf 'var ok = 1;\n' > app/a.js
printf 'var ui = {\n  draw() { return 1; },\n  size: 2 ** 3\n};\nconst k = 1;\n' > app/b.js
run_fp 1 build --engine "$DEMO_ENGINE" --js app/a.js --js app/b.js -p no-wasm-es5 -o out
assert_contains "$ERR" "app/b.js:2:3: error: not ES5"
assert_contains "$ERR" "app/b.js:3:11: error: not ES5"
assert_contains "$ERR" "app/b.js:5:1: error: not ES5: const"
assert_not_contains "$ERR" "app/a.js"
assert_not_contains "$ERR" "engine.js"
assert_no_path out
run_fp 0 build --engine "$DEMO_ENGINE" --js app/a.js --js app/b.js -p modern -o out
run_fp 0 build --engine "$DEMO_ENGINE" --js app/a.js -p no-wasm-es5 -o out

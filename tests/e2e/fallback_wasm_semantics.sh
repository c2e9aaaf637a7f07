#!/usr/bin/env bash
# What the fallback must reproduce of Wasm, on a fixture made for it (fixtures/fallback_semantics.wat):
# imports of one field name from two modules (wasm2js drops module names), i64 at the boundary as BigInt
# (es2020) and as Numbers (es5), memory.grow against the declared maximum (-1 beyond it), traps (division
# by zero and overflow, out-of-bounds and unaligned accesses, float-to-int out of range, unreachable), an
# exported mutable global. A fixed call list of edge cases and 3,000 generated calls, for a classic ES5
# script (node, node --jitless, Duktape), an ES2020 script and an ES module.
source "$(dirname "$0")/lib.sh"
setup
require_tool "$NODE"
expect_exit 0 "$WAT2WASM" "$SOURCE_DIR/tests/e2e/fixtures/fallback_semantics.wat" -o sem.wasm
mkdir -p profiles
printf 'id: nowasm-es2020\nextends: no-wasm-es5\njs:\n  level: es2020\n' > profiles/nowasm-es2020.yaml
printf 'id: nowasm-esm\nextends: no-wasm-es5\njs:\n  level: es2020\n  module: esm\n' > profiles/nowasm-esm.yaml
run_fp 0 build --engine sem.wasm -p no-wasm-es5 -p nowasm-es2020 -p nowasm-esm --profiles profiles -o out
assert_matches "$OUT" 'no-wasm-es5 .*nontrapping-float-to-int \+[0-9]+, sign-ext \+[0-9]+'
[[ $(jq -r .entry out/sem/0.0.0/profiles/nowasm-esm.json) == engine.mjs ]] || fail "the esm profile's entry is not engine.mjs"

calls="$SOURCE_DIR/tests/e2e/fixtures/fallback_semantics.calls.json"
for p in no-wasm-es5 nowasm-es2020 nowasm-esm; do
  run_fp 0 verify-fallback out/sem/0.0.0 -p "$p" --engine sem.wasm --calls "$calls" \
    --import env.wide=12345 --import a.f=1 --import b.f=2 --memory-every 1
  assert_contains "$OUT" "no difference"
  assert_matches "$OUT" '^50 calls \(1[0-9] trapped in Wasm\)'
  run_fp 0 verify-fallback out/sem/0.0.0 -p "$p" --engine sem.wasm --count 3000 --seed 3 --import env.wide=-7 \
    --skip recurse
  assert_contains "$OUT" "no difference"
  note "$p: $(head -n 1 "$OUT")"
done
run_fp 0 verify-fallback out/sem/0.0.0 -p no-wasm-es5 --engine sem.wasm --calls "$calls"
assert_contains "$OUT" "Duktape (fallback)"

# The same facts, read directly from the ES5 script in node --jitless: two imports named f from modules
# a and b stay apart, memory.grow stops at the maximum with -1, and a trap is an error named RuntimeError.
js=$(bundle_file out/sem/0.0.0 no-wasm-es5 engine.js)
fallback=$(bundle_file out/sem/0.0.0 no-wasm-es5 engine.fallback.js)
cat > direct.js <<'JS'
var vm = require('vm'), fs = require('fs');
vm.runInThisContext(fs.readFileSync(process.argv[2], 'utf8'));
// node cannot download: without engine.fallback.js loaded first, a LinkError says what to do.
try { fleetpack.loadEngineSync({}); } catch (err) { console.log(err.name + ': ' + err.message); }
vm.runInThisContext(fs.readFileSync(process.argv[3], 'utf8'));  // engine.fallback.js, as a second script tag
var seen = [];
var e = fleetpack.loadEngineSync({
  a: { f: function (x) { seen.push('a' + x); return 10; } },
  b: { f: function (x) { seen.push('b' + x); return 20; } },
  env: { wide: function (v) { return v + 1; } }
}).exports;
var out = [e.call_a(1), e.call_b(1), seen.join(','), e.calls.value, e.grow(1), e.grow(1), e.grow(1), e.size(),
  e.memory.buffer.byteLength, e.call_wide(5), e.add64(4294967295, 1)];
try { e.div_s(1, 0); out.push('no trap'); } catch (err) { out.push(err.name); }
try { fleetpack.loadEngineSync({ a: {}, b: {}, env: {} }); } catch (err) { out.push(err.name + ': ' + err.message); }
console.log(JSON.stringify(out));
JS
expect_exit 0 "$NODE" --jitless direct.js "$js" "$fallback"
assert_contains "$OUT" '[10,20,"a1,b2",2,1,2,-1,3,196608,16,4294967296,"RuntimeError","LinkError: import a.f (function) is missing"]'
assert_contains "$OUT" "LinkError: cannot load the JS fallback: this host cannot download engine.fallback.js; evaluate engine.fallback.js before loading the engine"

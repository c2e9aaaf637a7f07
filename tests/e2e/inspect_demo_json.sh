#!/usr/bin/env bash
# `fleetpack inspect --json` on the demo engine prints JSON with "schema": "fleetpack.inspect/1" whose
# features name the same first functions as the text report, and whose sections, imports, exports,
# memories, tables, globals and counts agree with wasm-objdump -h/-x (compare_objdump.js). As a control,
# the comparison fails when the JSON is off by one byte.
source "$(dirname "$0")/lib.sh"
setup
require_demo_engine
require_tool "$NODE"
require_tool "$WASM_OBJDUMP"

run_fp 0 inspect --json "$DEMO_ENGINE"
cp "$OUT" inspect.json
"$NODE" - "$SCRATCH/inspect.json" "$DEMO_ENGINE" <<'JS' || fail "inspect.json is wrong"
const fs = require('fs');
const [file, engine] = process.argv.slice(2);
const r = JSON.parse(fs.readFileSync(file, 'utf8'));
const check = (ok, what) => { if (!ok) { console.error('inspect.json: ' + what); process.exit(1); } };
check(r.schema === 'fleetpack.inspect/1', 'schema');
check(r.file === engine && r.size === fs.statSync(engine).size && r.version === 1, 'file/size/version');
const f = Object.fromEntries(r.features.map((x) => [x.name, x]));
check(JSON.stringify(Object.keys(f).sort()) ===
      JSON.stringify(['bulk-memory', 'mutable-globals', 'nontrapping-float-to-int', 'sign-ext']), 'the four features');
check(f['sign-ext'].first_function === 'hit_test', 'sign-ext in hit_test');
check(f['nontrapping-float-to-int'].first_function === 'snap_px', 'trunc_sat in snap_px');
check(f['bulk-memory'].first_function === 'engine_init', 'bulk-memory in engine_init');
check(f['mutable-globals'].first_function === null &&
      f['mutable-globals'].first_use === 'mutable global export "__stack_pointer"', 'mutable-globals export');
for (const x of r.features)
  check(Number.isInteger(x.first_offset) && x.first_offset > 0 && x.first_offset < r.size && x.count >= 1,
        x.name + ': offset/count');
check(JSON.stringify(r.globals.mutable_exports) === '["__stack_pointer"]', 'globals.mutable_exports');
check(r.functions.has_names === true, 'functions.has_names');
check(r.top_functions.length === 10 && r.top_functions[0].name === 'layout_run', 'top_functions');
JS

# The text report names the same first uses at the same offsets.
run_fp 0 inspect "$DEMO_ENGINE"
"$NODE" -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  for (const f of r.features) console.log(f.name + " " + (f.first_function ? "\x27" + f.first_function + "\x27" : "-") +
                                          " 0x" + f.first_offset.toString(16));
' "$SCRATCH/inspect.json" > expected-features.txt
while read -r name func off; do
  assert_matches "$OUT" "^  $name +[0-9]+ uses? +first in $func at $off \("
done < expected-features.txt

expect_exit 0 "$NODE" "$E2E_DIR/compare_objdump.js" "$FLEETPACK" "$DEMO_ENGINE"
note "$(cat "$OUT")"

# Control: a fleetpack whose JSON is off (one section offset + 1, one export renamed) is caught.
cat > fake-fleetpack <<FAKE
#!/usr/bin/env bash
"$FLEETPACK" "\$@" | "$NODE" -e '
  const r = JSON.parse(require("fs").readFileSync(0, "utf8"));
  r.sections[1].offset += 1; r.exports.items[2].name += "_x";
  process.stdout.write(JSON.stringify(r));'
FAKE
chmod +x fake-fleetpack
expect_exit 1 "$NODE" "$E2E_DIR/compare_objdump.js" "$SCRATCH/fake-fleetpack" "$DEMO_ENGINE"

assert_matches "$ERR" 'section 1 \(import\) payload offset: fleetpack says [0-9]+, wasm-objdump says [0-9]+'
assert_matches "$ERR" 'export 2 name: fleetpack says "[a-z_]+_x", wasm-objdump says "[a-z_]+"'

#!/usr/bin/env bash
# `fleetpack diff OLD.json NEW.json` compares two builds' --report-json files: the demo built twice, the
# second time with stick-2022 at optimize level O0 (bigger), a longer JS file, and chrome96 instead of
# modern. Every figure of the common profile is listed with old, new and delta as in the two reports,
# sorted by absolute delta; modern is reported removed and chrome96 added; text, --json and --markdown
# all exit 0. A report that is not JSON or of another schema is invalid input (exit 3).
source "$(dirname "$0")/lib.sh"
setup
require_demo_engine
require_tool "$NODE"

demo_project old
run_fp 0 build -c old/fleetpack.yaml --profile modern --profile stick-2022 --report-json old.json

demo_project new
sed -i -E 's/^  level: Os$/  level: O0/' new/profiles/stick-2022.yaml
grep -q '^  level: O0$' new/profiles/stick-2022.yaml || fail "could not set stick-2022's optimize level"
cat new/app/*.js new/app/*.js > new/app/more.js && mv new/app/more.js new/app/main.js
run_fp 0 build -c new/fleetpack.yaml --profile stick-2022 --profile chrome96 --report-json new.json

run_fp 0 diff --json old.json new.json
cp "$OUT" diff.json
"$NODE" - old.json new.json diff.json <<'JS' || fail "diff --json does not match the two reports"
const fs = require('fs');
const [o, n, d] = process.argv.slice(2).map(f => JSON.parse(fs.readFileSync(f, 'utf8')));
const check = (ok, what) => { if (!ok) { console.error('diff.json: ' + what + '\n' + JSON.stringify(d, null, 2)); process.exit(1); } };
check(d.schema === 'fleetpack.diff/1', 'schema');
check(d.old.path === 'old.json' && d.new.path === 'new.json' && d.old.app === 'demo', 'old/new');
check(JSON.stringify(d.profiles_removed) === '["modern"]', 'profiles_removed');
check(JSON.stringify(d.profiles_added) === '["chrome96"]', 'profiles_added');
const of = o.profiles.find(p => p.profile === 'stick-2022').figures;
const nf = n.profiles.find(p => p.profile === 'stick-2022').figures;
const names = [...new Set([...Object.keys(of), ...Object.keys(nf)])];
check(names.length > 5 && d.figures.length === names.length, 'one entry per figure of stick-2022');
for (const name of names) {
  const e = d.figures.find(f => f.profile === 'stick-2022' && f.figure === name);
  check(e, 'no entry for ' + name);
  const ov = of[name] ?? null, nv = nf[name] ?? null;
  check(e.old === ov && e.new === nv, name + ': old/new');
  if (ov === null || nv === null) { check(e.delta === null && e.percent === null, name + ': null delta'); continue; }
  check(e.delta === nv - ov, name + ': delta');
  if (ov > 0) check(Math.abs(e.percent - (nv - ov) * 100 / ov) < 0.006, name + ': percent');
}
const known = d.figures.filter(f => f.delta !== null);
for (let i = 1; i < known.length; i++)
  check(Math.abs(known[i - 1].delta) >= Math.abs(known[i].delta), 'sorted by |delta|');
check(d.figures.slice(known.length).every(f => f.delta === null), 'unknown deltas last');
const w = d.figures.find(f => f.figure === 'wasm_bytes');
check(w.delta > 0, 'O0 makes wasm_bytes bigger');
check(d.figures.find(f => f.figure === 'js_bytes').delta > 0, 'the longer JS makes js_bytes bigger');
// For the text and Markdown checks below.
fs.writeFileSync('expected.txt', [w.old, w.new, '+' + w.delta].join(' ') + '\n');
JS
read -r wasm_old wasm_new wasm_delta < expected.txt

run_fp 0 diff old.json new.json
assert_contains "$OUT" "size diff: old.json (demo 1.0.0) -> new.json (demo 1.0.0)"
assert_matches "$OUT" "^stick-2022 +wasm_bytes +$wasm_old +$wasm_new +\\$wasm_delta +\\+[0-9.]+%$"
assert_contains "$OUT" "profile added: chrome96"
assert_contains "$OUT" "profile removed: modern"

run_fp 0 diff --markdown old.json new.json
assert_contains "$OUT" "### fleetpack size diff"
assert_matches "$OUT" '^- this change adds [0-9.]+ (bytes|KiB) to stick-2022 \(wasm_bytes\)$'
assert_contains "$OUT" "| stick-2022 | wasm_bytes | $wasm_old | $wasm_new | $wasm_delta |"
assert_contains "$OUT" "- profile chrome96 added"

# Invalid input: exit 3, file:0xOFFSET for JSON errors, a hint, nothing on stdout.
printf '{"schema": ' > truncated.json
run_fp 3 diff old.json truncated.json
[[ ! -s "$OUT" ]] || { show_output; fail "diff of invalid input printed a diff"; }
assert_matches "$ERR" '^truncated\.json:0x[0-9a-f]+: error: not JSON: '
assert_matches "$ERR" '^  hint: .+'
run_fp 3 diff --json diff.json new.json
assert_contains "$ERR" 'diff.json: error: schema is "fleetpack.diff/1", expected "fleetpack.build-report/1"'
run_fp 3 diff old.json missing.json
assert_matches "$ERR" '^missing\.json: error: '

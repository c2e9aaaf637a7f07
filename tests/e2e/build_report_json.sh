#!/usr/bin/env bash
# `build --report-json F` writes the result table as JSON: "schema": "fleetpack.build-report/1", app,
# version, the engine's path and features, published/release_dir, and one entry per profile whose
# figures match the table and the files written. A failed build writes the report too, with status
# "failed" and published false.
source "$(dirname "$0")/lib.sh"
setup
require_demo_engine
require_tool "$NODE"
echo 'var app = 1;' > some.js

run_fp 0 build --engine "$DEMO_ENGINE" --js some.js --profile modern --out out --report-json report.json
assert_file report.json
shipped=$(bundle_file "$SCRATCH/out/engine/0.0.0" modern engine.wasm)
"$NODE" - "$SCRATCH/report.json" "$DEMO_ENGINE" "$shipped" <<'JS' || fail "report.json is wrong"
const fs = require('fs');
const [file, engine, output] = process.argv.slice(2);
const r = JSON.parse(fs.readFileSync(file, 'utf8'));  // throws (exit 1) if not JSON
const check = (ok, what) => { if (!ok) { console.error('report.json: ' + what + '\n' + JSON.stringify(r, null, 2)); process.exit(1); } };
check(r.schema === 'fleetpack.build-report/1', 'schema');
check(r.app === 'engine' && r.version === '0.0.0', 'app/version');
check(r.engine && r.engine.path === engine, 'engine.path');
check(JSON.stringify([...r.engine.features].sort()) ===
      JSON.stringify(['bulk-memory', 'mutable-globals', 'nontrapping-float-to-int', 'sign-ext']), 'engine.features');
check(r.published === true && r.release_dir === 'out/engine/0.0.0', 'published/release_dir');
check(Array.isArray(r.profiles) && r.profiles.length === 1, 'profiles array of one');
const p = r.profiles[0];
check(p.profile === 'modern' && p.optimize_level === 'Os' && p.status === 'ok', 'profile/level/status');
check(p.input_bytes === fs.statSync(engine).size, 'input_bytes');
check(p.optimized_bytes === fs.statSync(output).size, 'optimized_bytes is the size written');
check(Number.isInteger(p.zstd_bytes) && p.zstd_bytes > 0 && p.zstd_bytes < p.optimized_bytes, 'zstd_bytes');
JS

# A failing build (mvp lacks the engine's features) still reports, as failed.
run_fp 1 build --engine "$DEMO_ENGINE" --profile mvp --out out2 --report-json failed.json
"$NODE" -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const p = r.profiles[0];
  if (r.schema !== "fleetpack.build-report/1" || r.published !== false || r.release_dir !== null ||
      p.profile !== "mvp" || p.status !== "failed" || p.optimized_bytes !== null) {
    console.error(JSON.stringify(r, null, 2)); process.exit(1);
  }' "$SCRATCH/failed.json" || fail "failed.json is wrong"
assert_no_files out2

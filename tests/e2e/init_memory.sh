#!/usr/bin/env bash
# Measured start-up memory: with `init:` in fleetpack.yaml, build runs the init export of each shipped module
# in wabt's interpreter (in a child process with a time limit) and reports linear_memory_init: the same
# figure node reports for memory.buffer.byteLength after instantiating the shipped engine.wasm and calling
# engine_init(256). A linear_memory_init budget below it fails; an init export that loops forever gives the
# timeout diagnostic within the limit, one that traps names the trap; neither hangs the build.
source "$(dirname "$0")/lib.sh"
setup
require_tool "$NODE"
demo_project proj
cd proj
cat >> fleetpack.yaml <<'YAML'
init:
  export: engine_init
  args: [256]
  imports:
    env.now_ms: 16.5
YAML

run_fp 0 build --report-json report.json
assert_file report.json
engine=$(bundle_file dist/demo/1.0.0 modern engine.wasm)
assert_file "$engine"
# What node reaches with the same shipped module: every import a function returning 0 (or 16.5 for now_ms).
node_bytes=$("$NODE" -e '
  const fs = require("fs");
  const m = new WebAssembly.Module(fs.readFileSync(process.argv[1]));
  const imports = {};
  for (const i of WebAssembly.Module.imports(m)) {
    if (i.kind !== "function") { console.error("unexpected import kind " + i.kind); process.exit(1); }
    (imports[i.module] = imports[i.module] || {})[i.name] = () => (i.name === "now_ms" ? 16.5 : 0);
  }
  const inst = new WebAssembly.Instance(m, imports);
  const before = inst.exports.memory.buffer.byteLength;
  inst.exports.engine_init(256);
  const after = inst.exports.memory.buffer.byteLength;
  if (after <= before) { console.error("engine_init(256) did not grow memory: " + before + " -> " + after); process.exit(1); }
  console.log(after);' "$engine") || fail "node could not run engine_init(256)"
measured=$("$NODE" -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const vals = r.profiles.map(p => p.figures && p.figures.linear_memory_init);
  if (!vals.every(v => v === vals[0])) { console.error(JSON.stringify(vals)); process.exit(1); }
  const p = r.profiles[0];
  if (p.figures.vm_memory < vals[0]) { console.error("vm_memory does not include linear_memory_init"); process.exit(1); }
  console.log(vals[0]);' "$SCRATCH/proj/report.json") || fail "report.json figures are wrong"
note "linear_memory_init: fleetpack $measured, node $node_bytes"
[[ "$measured" == "$node_bytes" ]] || fail "linear_memory_init is $measured, node reports $node_bytes"
assert_not_contains "$ERR" "linear_memory_init is not checked"

# A budget below the measured figure fails, naming the figure; one at it passes.
printf 'id: initcap\nextends: modern\nbudgets:\n  linear_memory_init: %s\n' "$((measured - 65536))" > profiles/initcap.yaml
run_fp 1 check -p initcap
assert_matches "$ERR" "^profiles/initcap\.yaml:4:23: error: profile 'initcap': linear_memory_init is [0-9.]+ KiB \($measured B\), over its budget of "
assert_contains "$ERR" "hint: pages the init export reaches"
printf 'id: initok\nextends: modern\nbudgets:\n  linear_memory_init: %s\n' "$measured" > profiles/initok.yaml
run_fp 0 check -p initok

# An init export that never returns: the timeout diagnostic, within the limit (plus start-up).
cat > loop.wat <<'WAT'
(module
  (import "env" "tick" (func $tick (result i32)))
  (memory (export "memory") 1 4)
  (func (export "spin") (loop $l (drop (call $tick)) (br $l))))
WAT
expect_exit 0 "$WAT2WASM" loop.wat -o loop.wasm
printf 'app: loop\nversion: 1.0.0\nengine: loop.wasm\nselect: [modern]\ninit:\n  export: spin\n  timeout_ms: 1500\n' > loop.yaml
start=$(date +%s)
run_fp 1 build -c loop.yaml
elapsed=$(($(date +%s) - start))
assert_matches "$ERR" "^loop\.yaml:6:11: error: profile 'modern': init export 'spin' did not finish within 1\.5 s$"
assert_matches "$ERR" "^  hint: "
((elapsed < 20)) || fail "the looping init export took ${elapsed}s to be stopped"
assert_no_files dist/loop

# An init export that traps: the trap, named.
cat > trap.wat <<'WAT'
(module
  (memory (export "memory") 1 4)
  (func (export "init") (param i32) (result i32) (i32.load (i32.const 70000))))
WAT
expect_exit 0 "$WAT2WASM" trap.wat -o trap.wasm
printf 'app: trap\nversion: 1.0.0\nengine: trap.wasm\nselect: [modern]\ninit:\n  export: init\n  args: [1]\n' > trap.yaml
run_fp 1 build -c trap.yaml
assert_matches "$ERR" "^trap\.yaml:6:11: error: profile 'modern': init export 'init' trapped: out of bounds memory access"
# An import stubbed to trap is a trap too, naming the import.
printf 'app: loop\nversion: 1.0.0\nengine: loop.wasm\nselect: [modern]\ninit:\n  export: spin\n  imports:\n    env.tick: trap\n' > loop-trap.yaml
run_fp 1 build -c loop-trap.yaml
assert_contains "$ERR" "error: profile 'modern': init export 'spin' trapped: import env.tick was called (init.imports: trap)"

# Without init:, a linear_memory_init budget is still reported as not checked.
sed -i '/^init:/,$d' fleetpack.yaml
run_fp 0 check -p initcap
assert_contains "$ERR" "budgets.linear_memory_init is not checked"

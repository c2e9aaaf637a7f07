#!/usr/bin/env bash
# The budget gate: a profile whose budgets the demo engine exceeds fails `build` and `check` with exit 1;
# each failure names the profile, the figure, the actual size, the limit, the excess and what to cut (the
# largest function by name), at the budget's line in the profile file; nothing is written. budgets.mode:
# warn reports the same as warnings and exits 0. A module without a memory maximum fails a
# linear_memory_max budget unless budgets.allow_unbounded_memory is set.
source "$(dirname "$0")/lib.sh"
setup
demo_project proj
cd proj
cat > profiles/tight.yaml <<'YAML'
id: tight
extends: chrome75
description: "a TV with budgets the demo engine exceeds"
budgets:
  wasm_zstd_bytes: 1KiB
  vm_memory: 64KiB
  js_bytes: 100000
YAML

for cmd in build check; do
  run_fp 1 "$cmd" -p tight
  assert_matches "$ERR" "^profiles/tight\.yaml:5:20: error: profile 'tight': wasm_zstd_bytes is [0-9.]+ KiB \([0-9]+ B\), over its budget of 1\.0 KiB \(1024 B\) by [0-9.]+ KiB \([0-9]+ B\)$"
  assert_matches "$ERR" "^  hint: largest functions: function 'layout_run' "
  assert_matches "$ERR" "^profiles/tight\.yaml:6:14: error: profile 'tight': vm_memory is [0-9.]+ KiB \([0-9]+ B\), over its budget of 64\.0 KiB \(65536 B\) by "
  assert_matches "$ERR" "^  hint: linear_memory_initial 64\.0 KiB \(65536 B\), code_memory_estimate "
  assert_not_contains "$ERR" "js_bytes"  # within its budget
  [[ $(grep -c ': error: ' "$ERR") -eq 2 ]] || { show_output; fail "$cmd: expected exactly 2 budget errors"; }
  assert_matches "$OUT" "^tight +[0-9a-f]{12} +Oz +[0-9]+ +[0-9]+ +[0-9]+ +BUDGET +-$"
  assert_no_path dist/demo/1.0.0
done

# Warn-only mode: the same findings as warnings, and the release is written.
printf 'id: tight-warn\nextends: tight\nbudgets:\n  mode: warn\n' > profiles/tight-warn.yaml
run_fp 0 build -p tight-warn
assert_matches "$ERR" "^profiles/tight\.yaml:5:20: warning: profile 'tight-warn': wasm_zstd_bytes is .* \(budgets\.mode: warn\)$"
[[ -f dist/demo/1.0.0/profiles/tight-warn.json ]] || fail "warn mode must still write the release"

# An unbounded memory fails a memory budget, unless the profile allows it.
printf '(module (memory (export "memory") 1) (func (export "f") (result i32) (i32.const 1)))\n' > nomax.wat
expect_exit 0 "$WAT2WASM" nomax.wat -o nomax.wasm
printf 'id: memcap\nextends: mvp\nbudgets:\n  linear_memory_max: 1MiB\n' > profiles/memcap.yaml
run_fp 1 check --engine nomax.wasm --profiles profiles -p memcap
assert_matches "$ERR" "^profiles/memcap\.yaml:4:22: error: profile 'memcap': linear_memory_max is unbounded \(the module declares no memory maximum\), over its budget of 1\.00 MiB \(1048576 B\)$"
assert_contains "$ERR" "hint: declare a maximum (wasm-ld --max-memory, Emscripten MAXIMUM_MEMORY) or set budgets.allow_unbounded_memory: true"
printf 'id: memcap-ok\nextends: memcap\nbudgets:\n  allow_unbounded_memory: true\n' > profiles/memcap-ok.yaml
run_fp 0 check --engine nomax.wasm --profiles profiles -p memcap-ok

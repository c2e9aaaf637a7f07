#!/usr/bin/env bash
# `fleetpack inspect --json` reports exactly the post-MVP features each fixture uses, as its
# `;; FEATURES: ...` line says (an empty list: MVP only), plus the facts that go with them: the DataCount
# section and passive segment of passive_data, the shared memory of shared_memory, the mutable import of
# mutable_global_import.
source "$(dirname "$0")/lib.sh"
setup
require_tool "$NODE"

for wat in "$E2E_DIR"/fixtures/*.wat; do
  name=$(basename "$wat" .wat)
  grep -q '^;; FEATURES:' "$wat" || fail "$wat has no ';; FEATURES:' line"
  want=$(sed -n 's/^;; FEATURES:[[:space:]]*//p' "$wat" | tr ',' ' ' | tr -s ' ' '\n' | sed '/^$/d' | sort | paste -sd, -)
  flags=$(sed -n 's/^;; WAT2WASM_FLAGS: //p' "$wat")
  # shellcheck disable=SC2086
  expect_exit 0 "$WAT2WASM" $flags "$wat" -o "$name.wasm"
  run_fp 0 inspect --json "$name.wasm"
  cp "$OUT" "$name.json"
  got=$("$NODE" -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    console.log(r.features.map((f) => f.name).sort().join(","));' "$SCRATCH/$name.json")
  [[ "$got" == "$want" ]] || fail "$name: features are [$got], expected [$want]"
  note "$name: [${got:-none}]"
done

check() {  # FIXTURE JS-EXPRESSION-ON-r
  "$NODE" -e "const r = JSON.parse(require('fs').readFileSync(process.argv[1], 'utf8')); process.exit(($2) ? 0 : 1);" \
    "$SCRATCH/$1.json" || fail "$1: expected $2"
}
check passive_data 'r.data_count_section === true && r.data_segments.passive.count === 1 && r.data_segments.active.count === 1'
check shared_memory 'r.memories.length === 1 && r.memories[0].shared === true && r.memories[0].imported === true'
check mutable_global_import 'JSON.stringify(r.globals.mutable_imports) === "[\"env.counter\"]"'
check multivalue 'r.features[0].count >= 2'
check externref_table 'r.tables.map((t) => t.elem_type).join() === "externref,funcref"'
check imports_all_kinds 'r.imports.count === 4 && r.data_count_section === false'

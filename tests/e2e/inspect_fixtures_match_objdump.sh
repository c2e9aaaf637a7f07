#!/usr/bin/env bash
# `fleetpack inspect --json` agrees with wasm-objdump (compare_objdump.js: sections with payload offsets
# and sizes, imports, exports, memories, tables, globals, counts) on small modules made by wat2wasm from
# tests/e2e/fixtures/*.wat: passive data + memory.init + data.drop (DataCount section), a shared memory
# (threads), multivalue returns, a mutable global import, externref tables, one import of every kind.
# A fixture's `;; WAT2WASM_FLAGS: ...` line gives extra wat2wasm flags.
source "$(dirname "$0")/lib.sh"
setup
require_tool "$NODE"
require_tool "$WASM_OBJDUMP"

n=0
for wat in "$E2E_DIR"/fixtures/*.wat; do
  name=$(basename "$wat" .wat)
  flags=$(sed -n 's/^;; WAT2WASM_FLAGS: //p' "$wat")
  # shellcheck disable=SC2086  # the flags are words
  expect_exit 0 "$WAT2WASM" $flags "$wat" -o "$name.wasm"
  expect_exit 0 "$NODE" "$E2E_DIR/compare_objdump.js" "$FLEETPACK" "$name.wasm"
  note "$(cat "$OUT")"
  n=$((n + 1))
done
[[ "$n" -ge 5 ]] || fail "expected at least 5 fixtures, found $n"

#!/usr/bin/env bash
# Every engine.wasm a build writes validates with wabt restricted to that profile's features:
# modern = sign-ext, mutable-globals, nontrapping-float-to-int, bulk-memory, multivalue, reference-types,
# simd; stick-2022 = the first four only. As a control, the same restricted validation rejects the demo
# input under MVP flags, so the flags do restrict.
source "$(dirname "$0")/lib.sh"
setup
require_tool "$WASM_VALIDATE"
demo_project proj
cd proj

run_fp 0 build
for p in modern stick-2022; do
  f=$(bundle_file dist/demo/1.0.0 "$p" engine.wasm)
  assert_file "$f"
  flags=$(wabt_flags_for_profile "$p")
  # shellcheck disable=SC2086  # the flags are words
  expect_exit 0 "$WASM_VALIDATE" $flags "$f"
  note "$p: $f validates with: ${flags:-wabt 1.0.32 defaults}"
done

# Control: the input uses post-MVP features, so MVP-only validation must reject it.
# shellcheck disable=SC2046
expect_exit 1 "$WASM_VALIDATE" $(wabt_flags_for_profile mvp) "$DEMO_ENGINE"
assert_matches "$ERR" 'error: '

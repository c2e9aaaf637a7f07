#!/usr/bin/env bash
# Each shipped engine is no larger than what the raw tools make of the same input at the profile's level:
# `wasm-opt -Os` with the profile's features, then `wasm-strip`.
#
# Comparing fairly:
# - Features. wasm-opt 108 reads the input's target_features section and enables every feature it
#   declares ("+") on top of the command-line flags: the section wins over flags (DESIGN.md, facts), so
#   --mvp-features cannot take the four features the demo declares (and uses) away. We pass --mvp-features
#   plus the profile's --enable-* list: for stick-2022 that is exactly the declared set; for modern a
#   superset. fleetpack gives Binaryen exactly the features the input uses, never more, so wasm-opt gets at
#   least as much freedom as fleetpack: the comparison can only favour the reference.
# - Level. Both profiles say optimize.level: Os; we read the level from the table fleetpack prints.
# - Custom sections. wasm-opt drops the name section without -g but keeps "producers" and
#   "target_features"; wasm-strip then removes every custom section. fleetpack's outputs carry none either
#   (build_outputs_have_no_custom_sections.sh), so both sides are code and data only.
source "$(dirname "$0")/lib.sh"
setup
require_tool "$WASM_OPT"
require_tool "$WASM_STRIP"
require_tool "$WASM_VALIDATE"
demo_project proj
cd proj

run_fp 0 build
cp "$OUT" table.txt
for p in modern stick-2022; do
  level=$(awk -v p="$p" '$1 == p { print $3 }' table.txt)
  [[ "$level" =~ ^O[0-4sz]$ ]] || fail "no optimize level for $p in the table"
  ours=$(bundle_file dist/demo/1.0.0 "$p" engine.wasm)
  ref="$SCRATCH/reference-$p.wasm"
  # shellcheck disable=SC2046  # the flags are words
  expect_exit 0 "$WASM_OPT" --mvp-features $(binaryen_flags_for_profile "$p") "-$level" "$DEMO_ENGINE" -o "$ref"
  expect_exit 0 "$WASM_STRIP" "$ref"
  # The reference is a fair one: valid with the profile's features.
  # shellcheck disable=SC2046
  expect_exit 0 "$WASM_VALIDATE" $(wabt_flags_for_profile "$p") "$ref"
  ours_size=$(stat -c %s "$ours")
  ref_size=$(stat -c %s "$ref")
  note "$p (-$level): fleetpack $ours_size bytes, wasm-opt + wasm-strip $ref_size bytes"
  [[ "$ours_size" -le "$ref_size" ]] ||
    fail "$p: fleetpack's engine ($ours_size bytes) is larger than wasm-opt -$level + wasm-strip ($ref_size bytes)"
done

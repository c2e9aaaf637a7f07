#!/usr/bin/env bash
# Baseline (b) of bench/fleet_vs_tools.sh: what a team would script without fleetpack. For every profile
# of a fleet, one after the other: wasm-opt at the profile's level (names stripped), wasm2js when the
# profile needs a JS fallback, zstd of what it ships at the profile's level. No feature lowering (the raw
# tools have none for sign-ext, trunc_sat or bulk memory in Binaryen 108: wasm-opt gets the features the
# module uses), no budgets, no loader, no manifests: it does less than fleetpack.
#
#   bash bench/per_profile_tools.sh FLEET.tsv OUT_DIR
#
# FLEET.tsv: one profile a line: id, module path, optimize level (Os, Oz, O2, ...), the module's features
# as wasm-opt flags (comma-separated, e.g. "--enable-sign-ext,--enable-bulk-memory"; "-" for none: bash's
# `read` merges adjacent tabs, so a field may not be empty), zstd level, target
# (wasm, js or auto). Prints "failed: ID (tool)" for each tool run that fails, and goes on.
set -uo pipefail
fleet=$1 out=$2
mkdir -p "$out"
while IFS=$'\t' read -r id module level flags zstd_level target; do
  [[ -z "$id" || "$id" == '#'* ]] && continue
  dir="$out/$id"
  mkdir -p "$dir"
  enable=()
  [[ "$flags" != - ]] && IFS=',' read -r -a enable <<< "$flags"
  wasm-opt "$module" "-$level" "${enable[@]}" --strip-debug --strip-producers -o "$dir/engine.wasm" ||
    { echo "failed: $id (wasm-opt)"; continue; }
  if [[ "$target" != wasm ]]; then
    wasm2js "$dir/engine.wasm" "-$level" "${enable[@]}" -o "$dir/engine.js" || echo "failed: $id (wasm2js)"
  fi
  [[ "$target" == js ]] && rm -f "$dir/engine.wasm"
  for f in "$dir"/engine.wasm "$dir"/engine.js; do
    [[ -f "$f" ]] && { zstd -q -f "-$zstd_level" "$f" -o "$f.zst" || echo "failed: $id (zstd)"; }
  done
done < "$fleet"
exit 0

#!/usr/bin/env bash
# conformance.lowering.third_party: real modules from npm (tests/third_party) lowered for MVP engines.
# Each lowered module must validate with every post-MVP feature off, report no feature to
# `fleetpack inspect`, and behave like the original where it can run stand-alone: the parity harness
# (tests/parity/parity.js) calls its numeric exports with stub imports in node and in wabt's interpreter
# with the features off.
#   lower-third-party.sh FLEETPACK
# Exit 77 (skipped) when the modules cannot be fetched (no npm, or the registry is unreachable).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
fleetpack=$1
node=${NODE:-node}
command -v npm >/dev/null 2>&1 || { echo "SKIPPED: npm is not installed" >&2; exit 77; }
if ! cache=$(bash "$here/../third_party/fetch.sh" | tail -n 1); then
  npm ping >/dev/null 2>&1 || { echo "SKIPPED: the npm registry cannot be reached" >&2; exit 77; }
  echo "fetching the third-party modules failed" >&2
  exit 1
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
off=(--disable-sign-extension --disable-saturating-float-to-int --disable-bulk-memory --disable-reference-types
     --disable-multi-value --disable-simd)
# module  features the target keeps  parity calls per export (0: validate only; sql-wasm's exports loop
# forever on the harness's arbitrary arguments, a property of the module, not of the lowering)
while read -r name keep count; do
  [[ "$keep" == MVP ]] && keep=""
  in="$cache/$name.wasm" out="$work/$name.mvp.wasm"
  "$fleetpack" lower "$in" --features "$keep" -o "$out" > "$work/$name.txt"
  wasm-validate "${off[@]}" "$out"
  if [[ -z "$keep" ]]; then
    "$fleetpack" inspect "$out" | grep -q "features used: none (MVP)" || { echo "$name: lowered module still uses features" >&2; exit 1; }
  fi
  if (( count > 0 )); then
    "$node" "$here/../parity/parity.js" --original "$in" --lowered "$out" --count "$count" > "$work/$name.parity" ||
      { cat "$work/$name.parity"; exit 1; }
  fi
  summary="$name: $(tr -s ' \n' ' ' < "$work/$name.txt")"
  (( count > 0 )) && summary+="; parity: $(grep -E '^ *node:' "$work/$name.parity" | tr -s ' ')"
  echo "$summary"
done <<'LIST'
sql-fmt MVP 20
sh-syntax MVP 20
as-sha256 mutable-globals 50
sql-wasm MVP 0
LIST

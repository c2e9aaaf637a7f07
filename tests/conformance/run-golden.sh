#!/usr/bin/env bash
# conformance.features.golden: compiles every tests/golden/inspect/*.wat fixture (wat2wasm flags from its
# first line, ";; WAT2WASM: <flags>") into SCRATCH, then runs features_vs_validate.js over all of them.
#
#   run-golden.sh FLEETPACK SCRATCH_DIR
#
# WAT2WASM, NODE, WASM_VALIDATE, WASM_OBJDUMP: the tools (default: from PATH).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
[ $# -eq 2 ] || { echo "usage: $0 FLEETPACK SCRATCH_DIR" >&2; exit 2; }
fleetpack=$1 scratch=$2
wat2wasm=${WAT2WASM:-wat2wasm}
node=${NODE:-node}

rm -rf "$scratch" && mkdir -p "$scratch"
modules=()
for wat in "$here/../golden/inspect/"*.wat; do
  [ -e "$wat" ] || { echo "no fixtures in tests/golden/inspect" >&2; exit 2; }
  case=$(basename "$wat" .wat)
  first=$(head -n 1 "$wat")
  case "$first" in
    ";; WAT2WASM:"*) flags=${first#;; WAT2WASM:} ;;
    *) echo "$wat:1: first line must be ';; WAT2WASM: <flags>'" >&2; exit 1 ;;
  esac
  # shellcheck disable=SC2086
  "$wat2wasm" $flags "$wat" -o "$scratch/$case.wasm" || { echo "$case: wat2wasm$flags failed" >&2; exit 1; }
  modules+=("$scratch/$case.wasm")
done
exec "$node" "$here/features_vs_validate.js" "$fleetpack" "${modules[@]}"

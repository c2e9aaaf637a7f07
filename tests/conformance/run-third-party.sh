#!/usr/bin/env bash
# conformance.features.third_party: fetches the pinned real modules (tests/third_party/fetch.sh, which
# prints its cache dir as its last stdout line), then runs features_vs_validate.js --structure (feature
# detection against wasm-validate, structure against wasm-objdump -h -x) over every module of
# tests/third_party/modules.tsv.
#
#   run-third-party.sh FLEETPACK
#
# Exit 77 (ctest: skipped) when the fetch fails because the npm registry cannot be reached (checked with
# `npm ping` after a failed fetch) or npm is missing; any other fetch failure (hash mismatch, bad
# tarball) fails the test. Cache dir: FLEETPACK_TEST_CACHE, else fetch.sh's default.
# NODE, WASM_VALIDATE, WASM_OBJDUMP: the tools (default: from PATH).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
tp="$here/../third_party"
[ $# -eq 1 ] || { echo "usage: $0 FLEETPACK" >&2; exit 2; }
fleetpack=$1
node=${NODE:-node}

if [ ! -x "$tp/fetch.sh" ] || [ ! -r "$tp/modules.tsv" ]; then
  echo "tests/third_party/fetch.sh or modules.tsv missing" >&2
  exit 1
fi
cache=$("$tp/fetch_or_skip.sh" "the third-party modules") || exit  # 77: skipped (no npm, no network)
echo "modules from $cache" >&2

modules=()
while IFS=$'\t' read -r name _rest; do
  case "$name" in ''|'#'*) continue ;; esac
  [ -f "$cache/$name.wasm" ] || { echo "fetch.sh succeeded but $cache/$name.wasm is missing" >&2; exit 1; }
  modules+=("$cache/$name.wasm")
done < "$tp/modules.tsv"
[ ${#modules[@]} -gt 0 ] || { echo "modules.tsv lists no module" >&2; exit 1; }
exec "$node" "$here/features_vs_validate.js" --structure "$fleetpack" "${modules[@]}"

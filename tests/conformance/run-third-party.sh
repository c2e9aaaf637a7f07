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
SKIP=77

if [ ! -x "$tp/fetch.sh" ] || [ ! -r "$tp/modules.tsv" ]; then
  echo "tests/third_party/fetch.sh or modules.tsv missing" >&2
  exit 1
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "SKIPPED: npm is not installed, so the third-party modules cannot be fetched" >&2
  exit $SKIP
fi

# Fail fast rather than hang when the registry is unreachable (npm reads npm_config_* from the
# environment; callers may override these).
export npm_config_fetch_retries=${npm_config_fetch_retries:-1}
export npm_config_fetch_timeout=${npm_config_fetch_timeout:-60000}

log=$(mktemp)
trap 'rm -f "$log"' EXIT
set +e
cache=$("$tp/fetch.sh" 2>"$log" | tail -n 1)
rc=${PIPESTATUS[0]}
set -e
if [ "$rc" -ne 0 ]; then
  cat "$log" >&2
  if ! timeout 120 npm ping >/dev/null 2>>"$log"; then
    echo "SKIPPED: fetch.sh failed (exit $rc) and the npm registry does not answer \`npm ping\`: no network?" >&2
    exit $SKIP
  fi
  echo "FAILED: fetch.sh failed (exit $rc) although the npm registry answers: see its message above" >&2
  exit 1
fi
[ -d "$cache" ] || { echo "fetch.sh succeeded but its last line is not a directory: '$cache'" >&2; exit 1; }
echo "modules from $cache" >&2

modules=()
while IFS=$'\t' read -r name _rest; do
  case "$name" in ''|'#'*) continue ;; esac
  [ -f "$cache/$name.wasm" ] || { echo "fetch.sh succeeded but $cache/$name.wasm is missing" >&2; exit 1; }
  modules+=("$cache/$name.wasm")
done < "$tp/modules.tsv"
[ ${#modules[@]} -gt 0 ] || { echo "modules.tsv lists no module" >&2; exit 1; }
exec "$node" "$here/features_vs_validate.js" --structure "$fleetpack" "${modules[@]}"

#!/usr/bin/env bash
# For tests that need the pinned third-party modules: runs fetch.sh and prints its cache dir.
#   cache=$("$tp/fetch_or_skip.sh" WHAT) || exit      (WHAT names what is fetched, for the messages)
# Exit 77 (ctest: skipped) when npm is missing, or when the fetch fails and the npm registry does not answer
# `npm ping` (no network). Any other fetch failure (hash mismatch, bad tarball) exits 1 after fetch.sh's
# message. Cache dir: FLEETPACK_TEST_CACHE, else fetch.sh's default.
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
what=${1:-the third-party modules}
SKIP=77
if ! command -v npm >/dev/null 2>&1; then
  echo "SKIPPED: npm is not installed, so $what cannot be fetched" >&2
  exit $SKIP
fi
# Fail fast rather than hang when the registry is unreachable (npm reads npm_config_* from the
# environment; callers may override these).
export npm_config_fetch_retries=${npm_config_fetch_retries:-1}
export npm_config_fetch_timeout=${npm_config_fetch_timeout:-60000}
out=$(mktemp) log=$(mktemp)
trap 'rm -f "$out" "$log"' EXIT
"$here/fetch.sh" >"$out" 2>"$log"
rc=$?
if [ "$rc" -ne 0 ]; then
  cat "$log" >&2
  if ! timeout 120 npm ping >/dev/null 2>&1; then
    echo "SKIPPED: fetch.sh failed (exit $rc) and the npm registry does not answer \`npm ping\`: no network?" >&2
    exit $SKIP
  fi
  echo "FAILED: fetch.sh failed (exit $rc) although the npm registry answers: see its message above" >&2
  exit 1
fi
cat "$log" >&2
cache=$(tail -n 1 "$out")
[ -d "$cache" ] || { echo "fetch.sh succeeded but its last line is not a directory: '$cache'" >&2; exit 1; }
echo "$cache"

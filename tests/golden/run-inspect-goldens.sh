#!/usr/bin/env bash
# Checks `fleetpack inspect --json --top 5` against the goldens: for each case, compiles
# inspect/<case>.wat as update-goldens.sh does and diffs the output against inspect/<case>.json.
#
#   tests/golden/run-inspect-goldens.sh [CASE...]   (no CASE: every fixture)
#
# Exit 0 when every case matches; 1 (with a unified diff, expected -> actual) on a mismatch or a
# failure to compile or inspect; 2 on a usage or setup error. FLEETPACK, WAT2WASM, GOLDEN_SCRATCH:
# see golden-lib.sh.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=golden-lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/golden-lib.sh"

status=0 n=0 failed=()
while read -r c; do
  n=$((n + 1))
  expected="$inspect_dir/$c.json"
  if [ ! -f "$expected" ]; then
    echo "FAIL $c: no golden $expected (run tests/golden/update-goldens.sh $c and review it)" >&2
    status=1; failed+=("$c"); continue
  fi
  if ! golden_inspect "$c"; then
    echo "FAIL $c" >&2
    status=1; failed+=("$c"); continue
  fi
  if diff -u --label "expected inspect/$c.json" --label "actual: fleetpack inspect --json --top 5 $c.wasm" \
       "$expected" "$golden_scratch/$c/$c.json"; then
    echo "ok   $c"
  else
    echo "FAIL $c: output differs from the golden (diff above: - expected, + actual)" >&2
    status=1; failed+=("$c")
  fi
done < <(golden_cases "$@")
[ "$n" -gt 0 ] || golden_die "no fixtures found in $inspect_dir"
if [ $status -ne 0 ]; then echo "golden inspect: ${#failed[@]} of $n failed: ${failed[*]}" >&2; fi
exit $status

#!/usr/bin/env bash
# Regenerates tests/golden/inspect/<case>.json from <case>.wat: compiles each fixture with wat2wasm
# (flags from its first line, ";; WAT2WASM: <flags>"), runs `fleetpack inspect --json --top 5
# <case>.wasm` from inside a temp dir and writes the output as the new golden.
#
#   tests/golden/update-goldens.sh [CASE...]        (no CASE: every fixture)
#
# FLEETPACK, WAT2WASM, GOLDEN_SCRATCH: see golden-lib.sh. Review the diff before committing: a golden
# must be correct (checked against `wasm-objdump -x -h` and `wasm-validate`), not merely what the tool
# prints today. Some goldens were corrected by hand where fleetpack is wrong (README.md here); this
# script warns when it overwrites one of them.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=golden-lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/golden-lib.sh"

status=0 n=0
while read -r c; do
  n=$((n + 1))
  if golden_inspect "$c"; then
    if [ -f "$inspect_dir/$c.json" ] && cmp -s "$golden_scratch/$c/$c.json" "$inspect_dir/$c.json"; then
      echo "unchanged  $c"
    else
      if [ -f "$inspect_dir/$c.json" ] && [[ "$golden_hand_corrected" == *" $c "* ]]; then
        echo "WARNING    $c: this golden was corrected by hand (see README.md); overwriting it with fleetpack's" \
             "different output: check with \`git diff\` that the bug it shows is really fixed" >&2
      fi
      cp "$golden_scratch/$c/$c.json" "$inspect_dir/$c.json"
      echo "written    $c"
    fi
  else
    echo "FAILED     $c" >&2
    status=1
  fi
done < <(golden_cases "$@")
[ "$n" -gt 0 ] || golden_die "no fixtures found in $inspect_dir"
exit $status

#!/usr/bin/env bash
# docs/profiles.md's key reference must be exactly what `fleetpack profiles keys` prints.
set -euo pipefail
fleetpack=$1 doc=$2
expected=$("$fleetpack" profiles keys)
actual=$(awk '/^## Keys/{keys=1} keys && /^```$/{n++; next} keys && n==1{print}' "$doc")
if [[ "$expected" != "$actual" ]]; then
  echo "docs/profiles.md is out of date; regenerate its Keys block from \`fleetpack profiles keys\`:" >&2
  diff <(echo "$actual") <(echo "$expected") >&2 || true
  exit 1
fi
echo "docs/profiles.md matches the key table"

#!/usr/bin/env bash
# `profiles show ID --origin` explains every value of every catalog profile: one line per key of the key
# table, each ending in the file:line:col that set it, or "default".
source "$(dirname "$0")/lib.sh"
setup
run_fp 0 profiles keys
keys=$(grep -cE '^[a-z_.]+$' "$OUT")
run_fp 0 profiles list --json
ids=$("$NODE" -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1])).profiles.map(p=>p.id).join(" "))' "$OUT")
[[ -n "$ids" ]] || fail "no profiles listed"
for id in $ids; do
  run_fp 0 profiles show "$id" --origin
  [[ $(wc -l < "$OUT") -eq $keys ]] || fail "$id: $(wc -l < "$OUT") lines for $keys keys"
  bad=$(grep -vE ' # (<catalog>/[a-z0-9-]+\.yaml:[0-9]+:[0-9]+|default)$' "$OUT" || true)
  [[ -z "$bad" ]] || fail "$id: values without an origin:"$'\n'"$bad"
done
run_fp 0 profiles show tv-lowmem --origin
assert_matches "$OUT" "^budgets\.vm_memory +7864320 +# <catalog>/tv-lowmem\.yaml:[0-9]+:[0-9]+$"
assert_matches "$OUT" "^wasm\.features +sign-ext, nontrapping-float-to-int, bulk-memory, mutable-globals +# <catalog>/chrome75\.yaml:[0-9]+:[0-9]+$"
echo "$(wc -w <<< "$ids") profiles, $keys keys each: every value explained"

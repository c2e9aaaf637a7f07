#!/usr/bin/env bash
# The planner finds exactly the variants the generator made, on a fleet of 8,000 devices.
set -euo pipefail
fleetpack=$1 node=$2 engine=$3 dir=$4
features=$("$fleetpack" inspect --json "$engine" | "$node" -e \
  'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).features.map(f=>f.name).join(",")))')
summary=$("$node" "$(dirname "$0")/gen_fleet.js" "$dir" --profiles 300 --devices 8000 --engine-features "$features")
expected=$("$node" -e "console.log(JSON.parse(process.argv[1]).expected_variants)" "$summary")
"$fleetpack" plan --json --engine "$engine" --profiles "$dir/profiles" --devices "$dir/devices.csv" > "$dir/plan.json"
got=$("$node" -e "const p=JSON.parse(require('fs').readFileSync(process.argv[1]));console.log(p.variants.length)" "$dir/plan.json")
devices=$("$node" -e "const p=JSON.parse(require('fs').readFileSync(process.argv[1]));console.log(p.variants.reduce((n,v)=>n+v.devices,0))" "$dir/plan.json")
echo "generator: $summary"
echo "plan: $got variants covering $devices devices (expected $expected variants, 8000 devices)"
[[ "$got" == "$expected" && "$devices" == 8000 ]]

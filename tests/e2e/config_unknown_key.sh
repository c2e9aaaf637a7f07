#!/usr/bin/env bash
# An unknown key in fleetpack.yaml is a configuration error (exit 2) at the key's line:col, with a
# did-you-mean for a typo, and nothing is built.
source "$(dirname "$0")/lib.sh"
setup
demo_project proj
cd proj
sed -i 's/^select:/slect:/' fleetpack.yaml
line=$(grep -n '^slect:' fleetpack.yaml | cut -d: -f1)

run_fp 2 build
assert_matches "$ERR" "^fleetpack\.yaml:$line:1: error: unknown key 'slect' \(did you mean 'select'\?\)$"
assert_matches "$ERR" '^  hint: .+'
[[ ! -s "$OUT" ]] || { show_output; fail "a configuration error prints no table"; }
assert_no_files dist

# A key nothing resembles gets no suggestion, but the same place.
sed -i 's/^slect:/zzzzzz:/' fleetpack.yaml
run_fp 2 build
assert_matches "$ERR" "^fleetpack\.yaml:$line:1: error: unknown key 'zzzzzz'$"

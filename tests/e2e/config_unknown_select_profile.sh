#!/usr/bin/env bash
# An unknown profile id under `select:` is a configuration error (exit 2) located in fleetpack.yaml
# (file:line:col of the id), with a did-you-mean and the known ids as a hint; nothing is built.
source "$(dirname "$0")/lib.sh"
setup
demo_project proj
cd proj
sed -i 's/^select:.*/select: [modren, stick-2022]/' fleetpack.yaml
line=$(grep -n '^select:' fleetpack.yaml | cut -d: -f1)

run_fp 2 build
assert_contains "$ERR" "error: unknown profile 'modren' (did you mean 'modern'?)"
assert_contains "$ERR" "hint: known ids include: modern, "
assert_no_files dist
# The error points into the file that names the profile (DESIGN.md: every diagnostic has a place).
assert_matches "$ERR" "^fleetpack\.yaml:$line:[0-9]+: error: unknown profile 'modren' \(did you mean 'modern'\?\)$"

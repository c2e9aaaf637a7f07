#!/usr/bin/env bash
# A profile extending an id that no profile has is a configuration error (exit 2) at the extends value's
# line:col, naming both ids, with a did-you-mean for a near miss.
source "$(dirname "$0")/lib.sh"
setup
demo_project proj
cd proj
sed -i 's/^select:.*/select: [tv-2021]/' fleetpack.yaml
printf 'id: tv-2021\ndescription: "2021 sets"\nextends: tv-2091\n' > profiles/tv-2021.yaml

run_fp 2 build
assert_matches "$ERR" "^profiles/tv-2021\.yaml:3:10: error: profile 'tv-2021' extends unknown profile 'tv-2091' \(did you mean 'tv-2019'\?\)$"
assert_matches "$ERR" '^  hint: .+'
assert_no_files dist

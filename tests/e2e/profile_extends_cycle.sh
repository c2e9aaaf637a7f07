#!/usr/bin/env bash
# `extends:` cycles are configuration errors (exit 2) at the extends value's line:col, spelling the cycle:
# a -> b -> a across two files, and a profile extending itself.
source "$(dirname "$0")/lib.sh"
setup
demo_project proj
cd proj
sed -i 's/^select:.*/select: [a]/' fleetpack.yaml
printf 'id: a\nextends: b\n' > profiles/a.yaml
printf 'id: b\nextends: a\n' > profiles/b.yaml

run_fp 2 build
assert_matches "$ERR" "^profiles/(a\.yaml:2:10: error: 'extends' cycle: a -> b -> a|b\.yaml:2:10: error: 'extends' cycle: b -> a -> b)$"
assert_contains "$ERR" "hint: a profile cannot extend itself, directly or through its parents"
assert_no_files dist

rm profiles/a.yaml profiles/b.yaml
printf '# loops\nid: self\nextends: self\n' > profiles/self.yaml
sed -i 's/^select:.*/select: [self]/' fleetpack.yaml
run_fp 2 build
assert_matches "$ERR" "^profiles/self\.yaml:3:10: error: 'extends' cycle: self -> self$"
assert_no_files dist

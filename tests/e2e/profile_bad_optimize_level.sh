#!/usr/bin/env bash
# A bad optimize.level in a user profile is a configuration error (exit 2) at the value's line:col, listing
# the allowed levels; a case slip (os) suggests the level meant (Os).
source "$(dirname "$0")/lib.sh"
setup
demo_project proj
cd proj
sed -i 's/^select:.*/select: [fast]/' fleetpack.yaml
cat > profiles/fast.yaml <<'YAML'
id: fast
extends: modern
optimize:
  level: O9
YAML

run_fp 2 build
assert_matches "$ERR" "^profiles/fast\.yaml:4:10: error: bad value 'O9' for optimize\.level"
assert_contains "$ERR" "hint: allowed: O0, O1, O2, O3, O4, Os, Oz"
assert_no_files dist

sed -i 's/level: O9/level: os/' profiles/fast.yaml
run_fp 2 build
assert_matches "$ERR" "^profiles/fast\.yaml:4:10: error: bad value 'os' for optimize\.level \(did you mean 'Os'\?\)$"
assert_no_files dist

# A level that is not a string at all is refused at its place too.
sed -i 's/level: os/level: [Os]/' profiles/fast.yaml
run_fp 2 build
assert_matches "$ERR" "^profiles/fast\.yaml:4:10: error: "

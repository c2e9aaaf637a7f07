#!/usr/bin/env bash
# An unknown key in a user profile YAML is a configuration error (exit 2) at the key's line:col in that
# file, with a did-you-mean: a misspelt nested key (optimize: {levle: Os}) suggests 'optimize.level', and a
# misspelt section (optimise:) suggests the section 'optimize' (or its key 'optimize.level').
source "$(dirname "$0")/lib.sh"
setup
demo_project proj
cd proj
sed -i 's/^select:.*/select: [nested, section]/' fleetpack.yaml
cat > profiles/nested.yaml <<'YAML'
id: nested
extends: modern
optimize:
  levle: Os
YAML
cat > profiles/section.yaml <<'YAML'
id: section
extends: modern
optimise:
  level: Os
YAML

run_fp 2 build
assert_matches "$ERR" "^profiles/nested\.yaml:4:3: error: unknown key 'optimize\.levle' \(did you mean 'optimize\.level'\?\)$"
assert_contains "$ERR" "hint: \`fleetpack profiles keys\` lists every key"
assert_no_files dist
# Reported at its place in any case ...
assert_matches "$ERR" "^profiles/section\.yaml:3:1: error: unknown key 'optimise'"
# ... and with a suggestion: 'optimise' is one letter away from the section 'optimize'.
assert_matches "$ERR" "^profiles/section\.yaml:3:1: error: unknown key 'optimise' \(did you mean 'optimize(\.level)?'\?\)$"

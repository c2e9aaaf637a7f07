#!/usr/bin/env bash
# `build --report-junit F` and `check --report-junit F` write JUnit XML that validates against
# tests/schemas/junit.xsd (xmllint --schema): one <testsuite> per profile, a "build" testcase and one testcase
# per budget; an exceeded budget is a <failure> naming figure, limit, actual and excess, with the contributors
# (XML-escaped) as its text; a profile that fails to build has a failing "build" testcase. No timestamps:
# two runs write the same bytes.
source "$(dirname "$0")/lib.sh"
setup
require_tool xmllint
demo_project proj
cd proj
XSD="$SOURCE_DIR/tests/schemas/junit.xsd"

# A passing build.
run_fp 0 build --report-junit ok.xml
assert_file ok.xml
expect_exit 0 xmllint --noout --schema "$XSD" ok.xml
assert_contains ok.xml '<testsuites name="fleetpack demo 1.0.0" tests="2" failures="0" errors="0" skipped="0" time="0">'
assert_contains ok.xml '<testsuite name="modern" tests="1" failures="0" errors="0" skipped="0" time="0">'
assert_contains ok.xml '<testcase name="build" classname="fleetpack.stick-2022" time="0"/>'
assert_not_contains ok.xml '<failure'

# A failing check: budgets exceeded, and a profile whose features cannot be met.
cat > profiles/tight.yaml <<'YAML'
id: tight
extends: chrome75
budgets:
  wasm_zstd_bytes: 1KiB
  js_bytes: 100000
YAML
for cmd in build check; do
  run_fp 1 "$cmd" -p tight -p modern --report-junit "$cmd.xml"
  expect_exit 0 xmllint --noout --schema "$XSD" "$cmd.xml"
  assert_contains "$cmd.xml" '<testsuite name="tight" tests="3" failures="1" errors="0" skipped="0" time="0">'
  assert_matches "$cmd.xml" '<testcase name="budget wasm_zstd_bytes" classname="fleetpack.tight" time="0">$'
  assert_matches "$cmd.xml" '<failure message="figure wasm_zstd_bytes: limit 1\.0 KiB \(1024 B\), actual [0-9.]+ KiB \([0-9]+ B\), excess [0-9.]+ KiB \([0-9]+ B\)" type="budget">largest functions: function &apos;layout_run&apos; '
  assert_contains "$cmd.xml" '<testcase name="budget js_bytes" classname="fleetpack.tight" time="0"/>'
done
run_fp 1 check -p tight -p modern --report-junit again.xml
assert_same_bytes check.xml again.xml

run_fp 1 build -p mvp --report-junit failed.xml
expect_exit 0 xmllint --noout --schema "$XSD" failed.xml
assert_contains failed.xml '<testsuite name="mvp" tests="1" failures="1" errors="0" skipped="0" time="0">'
assert_contains failed.xml '<failure message="profile &apos;mvp&apos; failed to build" type="build">'

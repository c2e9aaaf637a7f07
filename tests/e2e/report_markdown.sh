#!/usr/bin/env bash
# `build`/`check --report-markdown F` write a pull-request summary: a heading with the verdict, a table of
# profiles (variant, level, optimized and zstd bytes, status, lowered features) and an "Exceeded budgets"
# section listing each exceeded budget with limit, actual, excess and the contributors hint.
source "$(dirname "$0")/lib.sh"
setup
demo_project proj
cd proj

run_fp 0 build --report-markdown ok.md
assert_file ok.md
assert_contains ok.md '## fleetpack: demo 1.0.0: all profiles ok'
assert_contains ok.md '| profile | variant | level | optimized bytes | zstd bytes | status | lowered (bytes added) |'
assert_matches ok.md '^\| modern \| `[0-9a-f]{12}` \| Os \| [0-9]+ \| [0-9]+ \| ok \| [^|]+ \|$'
assert_matches ok.md '^\| stick-2022 \| `[0-9a-f]{12}` \| Os \| [0-9]+ \| [0-9]+ \| ok \| [^|]+ \|$'
assert_contains ok.md '### Exceeded budgets'
assert_matches ok.md '^None\.$'

cat > profiles/tight.yaml <<'YAML'
id: tight
extends: chrome75
budgets:
  wasm_zstd_bytes: 1KiB
  vm_memory: 64KiB
YAML
run_fp 1 check -p tight -p modern --report-markdown fail.md
assert_contains fail.md '## fleetpack: demo 1.0.0: 0 failed, 1 over budget'
assert_matches fail.md '^\| tight \| `[0-9a-f]{12}` \| Oz \| [0-9]+ \| [0-9]+ \| over-budget \| - \|$'
assert_matches fail.md '^- \*\*tight\*\* `wasm_zstd_bytes`: limit 1\.0 KiB \(1024 B\), actual [0-9.]+ KiB \([0-9]+ B\), excess [0-9.]+ KiB \([0-9]+ B\)$'
assert_matches fail.md "^  - largest functions: function 'layout_run' "
assert_matches fail.md '^- \*\*tight\*\* `vm_memory`: limit 64\.0 KiB \(65536 B\), actual '
assert_matches fail.md '^  - linear_memory_initial 64\.0 KiB \(65536 B\), code_memory_estimate '
assert_not_matches fail.md '^None\.$'

run_fp 1 build -p mvp --report-markdown failed.md
assert_matches failed.md '^\| mvp \| `[0-9a-f]{12}` \| [A-Za-z0-9]+ \| - \| - \| failed \| - \|$'

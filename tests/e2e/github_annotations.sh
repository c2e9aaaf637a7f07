#!/usr/bin/env bash
# With GITHUB_ACTIONS=true, `build` and `check` also print every error and warning to stdout as a GitHub
# workflow command (::error file=F,line=L,col=C::message, the hint after an escaped newline %0A); without it
# (or with another value) stdout has none. The diagnostics on stderr are the same either way.
source "$(dirname "$0")/lib.sh"
setup
demo_project proj
cd proj
cat > profiles/tight.yaml <<'YAML'
id: tight
extends: chrome75
budgets:
  wasm_zstd_bytes: 1KiB
YAML
printf 'id: tight-warn\nextends: tight\nbudgets:\n  mode: warn\n' > profiles/tight-warn.yaml

for cmd in build check; do
  GITHUB_ACTIONS=true run_fp 1 "$cmd" -p tight
  assert_matches "$OUT" '^::error file=profiles/tight\.yaml,line=4,col=20::profile '"'"'tight'"'"': wasm_zstd_bytes is [0-9.]+ KiB \([0-9]+ B\), over its budget of 1\.0 KiB \(1024 B\) by [^%]+%0Ahint: largest functions: '
  [[ $(grep -c '^::' "$OUT") -eq 1 ]] || { show_output; fail "$cmd: expected exactly one annotation"; }
  cp "$ERR" with.err
  run_fp 1 "$cmd" -p tight
  assert_not_matches "$OUT" '^::'
  assert_same_bytes with.err "$ERR"
  GITHUB_ACTIONS=false run_fp 1 "$cmd" -p tight
  assert_not_matches "$OUT" '^::'
done

GITHUB_ACTIONS=true run_fp 0 build -p tight-warn
assert_matches "$OUT" '^::warning file=profiles/tight\.yaml,line=4,col=20::profile '"'"'tight-warn'"'"': wasm_zstd_bytes is .*\(budgets\.mode: warn\)%0Ahint: '
assert_not_matches "$OUT" '^::error'

# Binary offsets: file= only, the offset in the message.
printf '\0asm\1\0\0\0\1' > bad.wasm
GITHUB_ACTIONS=true run_fp 3 check --engine bad.wasm -p mvp
assert_matches "$OUT" '^::error file=bad\.wasm::offset 0x[0-9a-f]+: '

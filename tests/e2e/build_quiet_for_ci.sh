#!/usr/bin/env bash
# --quiet, for CI logs: no table, no progress (even on a terminal), no warnings; errors are still printed,
# then one summary line, and the exit codes are those of a build without it.
source "$(dirname "$0")/lib.sh"
setup
demo_project proj
cd proj
printf 'id: tight\nextends: chrome75\nbudgets:\n  wasm_zstd_bytes: 1KiB\n' > profiles/tight.yaml
# A remote cache nobody listens on: one warning in a normal build, none with --quiet.
down=(--remote-cache http://127.0.0.1:9/cache --remote-cache-timeout 2)

run_fp 0 build "${down[@]}" --out loud
assert_contains "$ERR" "warning:"
assert_contains "$OUT" "profile "

run_fp 0 build --quiet "${down[@]}"
[[ ! -s "$ERR" ]] || { show_output; fail "--quiet printed a warning"; }
[[ "$(wc -l < "$OUT")" == 1 ]] || { show_output; fail "--quiet printed more than one line"; }
assert_matches "$OUT" \
  '^demo 1\.0\.0: 2 profiles in [0-9]+ variants: 2 ok, 0 over budget, 0 failed; written to dist/demo/1\.0\.0; cache: [0-9]+ reused .*[0-9]+ computed$'
[[ "$(tree_digest dist)" == "$(tree_digest loud)" ]] || fail "--quiet changed the release"

# A failed budget: the error (with its hint) and the summary, exit 1 as without --quiet.
run_fp 1 check -q -p tight
assert_contains "$ERR" "error: profile 'tight'"
assert_contains "$ERR" "hint:"
assert_not_contains "$OUT" "status"
assert_matches "$OUT" '^demo 1\.0\.0: 1 profiles in 1 variants: 0 ok, 1 over budget, 0 failed; checked, no release written'

# Usage errors (2) and invalid input (3) keep their exit codes and messages.
run_fp 2 build --quiet -p no-such-profile
assert_contains "$ERR" "unknown profile 'no-such-profile'"
printf 'not wasm' > bad.wasm
run_fp 3 build --quiet --engine bad.wasm -p modern --out bad
assert_contains "$ERR" "bad.wasm"

# On a terminal: no progress line and no table, but the coloured error.
if command -v script > /dev/null; then
  esc=$'\033'
  got=0
  script -qec "$FLEETPACK check --quiet -p tight" /dev/null > tty.txt || got=$?
  [[ "$got" == 1 ]] || { cat tty.txt >&2; fail "exit $got under a terminal, expected 1"; }
  grep -q "${esc}\[1;31merror:${esc}\[0m profile 'tight'" tty.txt || { cat tty.txt >&2; fail "no error on a terminal"; }
  ! grep -qE "optimizing with Binaryen|variant [0-9]+/|${esc}\[K" tty.txt || { cat tty.txt >&2; fail "progress with --quiet"; }
  ! grep -q "BUDGET" tty.txt || { cat tty.txt >&2; fail "the table with --quiet"; }
  # Without --quiet the same terminal shows progress with elapsed time.
  script -qec "$FLEETPACK check -p tight --no-cache" /dev/null > tty2.txt || true
  grep -qE "\[ *[0-9]+\.[0-9]s\] variant 1/1 \([0-9a-f]{12}, target wasm, Oz, 1 profile\(s\)\)" tty2.txt ||
    { cat -v tty2.txt >&2; fail "no per-variant progress on a terminal"; }
fi

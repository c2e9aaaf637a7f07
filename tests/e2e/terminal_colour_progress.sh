#!/usr/bin/env bash
# Colour and progress only on a terminal: under a pseudo-terminal (script(1)) errors and the BUDGET
# status are coloured and progress lines appear; with NO_COLOR set, or when output is a pipe or a file
# (CI logs), the output has no escape sequences at all.
source "$(dirname "$0")/lib.sh"
setup
command -v script > /dev/null || skip "script(1) is not installed"
demo_project proj
cd proj
printf 'id: tight\nextends: chrome75\nbudgets:\n  wasm_zstd_bytes: 1KiB\n' > profiles/tight.yaml
esc=$'\033'

script -qec "$FLEETPACK check -p tight" /dev/null > tty.txt || true
grep -q "${esc}\[1;31merror:${esc}\[0m profile 'tight'" tty.txt || fail "no coloured error on a terminal"
grep -q "${esc}\[1;31mBUDGET" tty.txt || fail "no coloured status on a terminal"
grep -q "optimizing with Binaryen" tty.txt || fail "no progress on a terminal"

NO_COLOR=1 script -qec "$FLEETPACK check -p tight" /dev/null > nocolour.txt || true
! grep -q "${esc}\[1;31m" nocolour.txt || fail "NO_COLOR is not respected"
grep -q "error: profile 'tight'" nocolour.txt || fail "the error is missing without colour"

run_fp 1 check -p tight
! grep -q "$esc" "$OUT" "$ERR" || fail "escape sequences in piped output"
assert_not_contains "$ERR" "optimizing with Binaryen"

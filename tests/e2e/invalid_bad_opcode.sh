#!/usr/bin/env bash
# One byte of the demo engine's code changed into an opcode that does not exist (0xff, where the first
# i32.mul was) is invalid input (exit 3) at the offset and with the message wasm-validate gives; nothing
# written.
source "$(dirname "$0")/lib.sh"
setup
require_demo_engine
require_tool "$WASM_OBJDUMP"
require_tool "$WASM_VALIDATE"
expect_exit 0 "$WASM_OBJDUMP" -d "$DEMO_ENGINE"
off=$(awk '$NF == "i32.mul" && $3 == "|" { sub(/:$/, "", $1); print $1; exit }' "$OUT")
[[ -n "$off" ]] || fail "no single-byte i32.mul in the demo engine"
cp "$DEMO_ENGINE" bad-opcode.wasm
printf '\xff' | dd of=bad-opcode.wasm bs=1 seek=$((16#$off)) conv=notrunc status=none
cmp -s bad-opcode.wasm "$DEMO_ENGINE" && fail "the byte was not changed"

expect_exit 1 "$WASM_VALIDATE" --enable-all bad-opcode.wasm
wabt=$(grep -m1 ': error: ' "$ERR")             # "00002ff: error: unexpected opcode: 0xff"
[[ "$wabt" == *"unexpected opcode: 0xff"* ]] || fail "unexpected wasm-validate error: $wabt"
woff=$(printf '%x' "$((16#${wabt%%:*}))")
expect_invalid_input bad-opcode.wasm ":0x$woff" 'unexpected opcode: 0xff'
# The place is the changed byte (wabt points just after the opcode byte it read).
(( 16#$woff - 16#$off <= 1 && 16#$woff >= 16#$off )) || fail "offset 0x$woff is not at the changed byte 0x$off"

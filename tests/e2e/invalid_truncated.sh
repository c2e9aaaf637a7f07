#!/usr/bin/env bash
# The demo engine cut to 100 bytes is invalid input (exit 3); the offset and message are the ones
# wasm-validate reports for it (a section that extends past the end); nothing written.
source "$(dirname "$0")/lib.sh"
setup
require_demo_engine
require_tool "$WASM_VALIDATE"
head -c 100 "$DEMO_ENGINE" > truncated.wasm
expect_exit 1 "$WASM_VALIDATE" --enable-all truncated.wasm
wabt=$(grep -m1 ': error: ' "$ERR")             # e.g. "0000057: error: invalid section size: extends past end"
off=$(printf '%x' "$((16#${wabt%%:*}))")
msg=${wabt#*: error: }
[[ "$msg" == *"extends past end"* ]] || fail "unexpected wasm-validate error: $wabt"
expect_invalid_input truncated.wasm ":0x$off" "$(re_escape "$msg")"
# Also cut just inside the header and just before the end.
head -c 9 "$DEMO_ENGINE" > header.wasm
expect_invalid_input header.wasm ':0x[0-9a-f]+' '.+'
head -c "$(($(stat -c %s "$DEMO_ENGINE") - 1))" "$DEMO_ENGINE" > minus1.wasm
expect_invalid_input minus1.wasm ':0x[0-9a-f]+' '.+'

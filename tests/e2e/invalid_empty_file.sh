#!/usr/bin/env bash
# A 0-byte file is invalid input (exit 3) at offset 0; nothing written.
source "$(dirname "$0")/lib.sh"
setup
: > empty.wasm
expect_invalid_input empty.wasm ':0x0' 'not a WebAssembly binary.*'
# Only the magic number (4 bytes, no version) is not a module either.
printf '\0asm' > magic-only.wasm
expect_invalid_input magic-only.wasm ':0x[0-9a-f]+' '.+'

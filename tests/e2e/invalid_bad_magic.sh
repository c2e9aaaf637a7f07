#!/usr/bin/env bash
# A text file given as a module is invalid input (exit 3) at offset 0: bad magic number; nothing written.
source "$(dirname "$0")/lib.sh"
setup
printf '(module)\n' > text.wasm
expect_invalid_input text.wasm ':0x0' 'not a WebAssembly binary \(bad magic number\)'
# The hint says what a .wasm starts with and how to get one from text.
assert_contains "$ERR" 'wat2wasm'
printf '\0asn\1\0\0\0' > almost.wasm
expect_invalid_input almost.wasm ':0x0' 'not a WebAssembly binary \(bad magic number\)'

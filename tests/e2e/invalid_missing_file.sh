#!/usr/bin/env bash
# A module path that does not exist is unreadable input (exit 3): "<file>: error: cannot open: No such file
# or directory" with a hint; nothing written. The same for a file without read permission (unless root).
source "$(dirname "$0")/lib.sh"
setup
expect_invalid_input no-such.wasm '' 'cannot open: No such file or directory'
expect_invalid_input "$SCRATCH/no-such-dir/engine.wasm" '' 'cannot open: No such file or directory'
if [[ $(id -u) -ne 0 ]]; then
  printf '\0asm\1\0\0\0' > unreadable.wasm
  chmod 000 unreadable.wasm
  expect_invalid_input unreadable.wasm '' 'cannot open: Permission denied'
fi

#!/usr/bin/env bash
# A directory given as the engine is unreadable input (exit 3): "<dir>: error: is a directory, not a file",
# followed by a hint like every other diagnostic (README: "a message, and a hint"); nothing written.
source "$(dirname "$0")/lib.sh"
setup
mkdir engine.wasm
expect_invalid_input engine.wasm '' 'is a directory, not a file'

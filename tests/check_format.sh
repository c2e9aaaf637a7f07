#!/usr/bin/env bash
# Every C++ file follows .clang-format (checked, never rewritten, in CI).
set -euo pipefail
cd "$1"
# fleetpack's own C++ only: examples/ is an app team's code, with its own style.
mapfile -t files < <(find base cli core passes profiles targets tests bench -name '*.cpp' -o -name '*.h' 2>/dev/null | sort)
clang-format --dry-run -Werror "${files[@]}"
echo "${#files[@]} files formatted"

#!/usr/bin/env bash
# `fleetpack inspect` on the demo engine (text) exits 0 and lists the four post-MVP features it uses, each
# with its first function and offset: sign-ext in 'hit_test', nontrapping-float-to-int in 'snap_px',
# bulk-memory in 'engine_init', mutable-globals through the export "__stack_pointer"; plus the memory
# (1 page, max 256 = --max-memory=16 MiB), the imports and the largest functions by name.
source "$(dirname "$0")/lib.sh"
setup
require_demo_engine

run_fp 0 inspect "$DEMO_ENGINE"
[[ ! -s "$ERR" ]] || { show_output; fail "stderr is not empty"; }
assert_matches "$OUT" "^$(re_escape "$DEMO_ENGINE"): $(stat -c %s "$DEMO_ENGINE") bytes, wasm version 1$"
assert_contains "$OUT" "features used:"
assert_matches "$OUT" "^  sign-ext +[0-9]+ uses? +first in 'hit_test' at 0x[0-9a-f]+ \(i32\.extend(8|16)_s\)$"
assert_matches "$OUT" "^  nontrapping-float-to-int +[0-9]+ uses? +first in 'snap_px' at 0x[0-9a-f]+ \(i32\.trunc_sat_f32_s\)$"
assert_matches "$OUT" "^  bulk-memory +[0-9]+ uses? +first in 'engine_init' at 0x[0-9a-f]+ \(memory\.(copy|fill)\)$"
assert_matches "$OUT" "^  mutable-globals +1 use +first in - at 0x[0-9a-f]+ \(mutable global export \"__stack_pointer\"\)$"
# Exactly these four.
n=$(sed -n '/^features used:/,/^$/p' "$OUT" | grep -cE '^  [a-z]')
[[ "$n" -eq 4 ]] || fail "expected 4 features, found $n"
assert_matches "$OUT" '^memory 0: initial 1 pages, max 256 pages, exported as memory$'
assert_contains "$OUT" "imports: 2"
assert_contains "$OUT" "  env.log_i32: func (i32, i32) -> nil"
assert_contains "$OUT" "  env.now_ms: func () -> f64"
assert_matches "$OUT" '^globals: 1, mutable exports: __stack_pointer$'
assert_matches "$OUT" '^functions: [0-9]+ defined, 2 imported, [0-9]+ code bytes$'
assert_matches "$OUT" '^top 10 functions by body size:$'
assert_matches "$OUT" '^ +[0-9]+ bytes  func\[[0-9]+\] layout_run$'
# --top N lists N functions.
run_fp 0 inspect --top 3 "$DEMO_ENGINE"
n=$(sed -n '/^top 3 functions by body size:/,$p' "$OUT" | grep -cE '^ +[0-9]+ bytes  func\[')
[[ "$n" -eq 3 ]] || fail "--top 3 listed $n functions"

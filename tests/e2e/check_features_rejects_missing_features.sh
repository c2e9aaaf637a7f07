#!/usr/bin/env bash
# A profile whose VM lacks features the engine uses fails the build with exit 1 (check-features): the
# built-in `mvp` (-p mvp) and the demo's user profile `tv-2019` (extends mvp, from profiles/). stderr has
# one error per missing feature, each naming the profile, the feature, the first function that uses it and
# its byte offset in the input (`engine.wasm:0x...`); the table marks the profile FAILED; and nothing is
# written for that version.
source "$(dirname "$0")/lib.sh"
setup
demo_project proj
cd proj
engine_re=$(re_escape "$DEMO_ENGINE")

for p in mvp tv-2019; do
  run_fp 1 build -p "$p"
  loc="^$engine_re:0x[0-9a-f]+: error: profile '$p': "
  assert_matches "$ERR" "${loc}function 'hit_test' uses feature 'sign-ext' \(i32\.extend(8|16)_s; [0-9]+ uses? after optimization\), which the profile's VM lacks$"
  assert_matches "$ERR" "${loc}function 'snap_px' uses feature 'nontrapping-float-to-int' \(i32\.trunc_sat_f32_s; [0-9]+ uses? after optimization\), which the profile's VM lacks$"
  assert_matches "$ERR" "${loc}function 'engine_init' uses feature 'bulk-memory' \(memory\.(copy|fill); [0-9]+ uses? after optimization\), which the profile's VM lacks$"
  assert_matches "$ERR" "${loc}the module uses feature 'mutable-globals' \(mutable global export \"__stack_pointer\"; 1 use after optimization\), which the profile's VM lacks$"
  [[ $(grep -c ': error: ' "$ERR") -eq 4 ]] || { show_output; fail "$p: expected exactly 4 errors"; }
  # Each error comes with a hint naming the compiler flag.
  assert_contains "$ERR" "hint: add 'sign-ext' to wasm.features if the profile's devices support it"
  assert_contains "$ERR" "clang -mno-sign-ext"
  assert_contains "$ERR" "clang -mno-bulk-memory"
  assert_contains "$ERR" "clang -mno-nontrapping-fptoint"
  assert_contains "$ERR" "clang -mno-mutable-globals"
  assert_matches "$OUT" "^$p +Oz +[0-9]+ +- +- +FAILED$"
  assert_contains "$OUT" "nothing written"
  assert_no_path dist/demo/1.0.0
  assert_no_files dist
done

# Each offset is a real first use in the input: wasm-objdump -d shows an instruction of that feature at
# exactly that offset, inside the named function.
if command -v "$WASM_OBJDUMP" > /dev/null; then
  run_fp 1 build -p mvp
  cp "$ERR" mvp.stderr
  expect_exit 0 "$WASM_OBJDUMP" -d "$DEMO_ENGINE"
  cp "$OUT" disasm.txt
  check_first_use() {  # FUNCTION FEATURE OPCODE_ERE
    local off line func first
    off=$(grep -E "function '$1' uses feature '$2'" mvp.stderr | sed -E 's/^.*:0x([0-9a-f]+): error: .*$/\1/')
    [[ -n "$off" ]] || fail "no offset for $2"
    line=$(grep -E "^ 0*$off: " disasm.txt || true)
    [[ "$line" =~ $3 ]] || fail "0x$off is not $3 in the input: '$line'"
    # ... and it is the first such instruction in the module.
    first=$(grep -m1 -E "\| +$3" disasm.txt || true)
    [[ "$first" == "$line" ]] || fail "$2: the first use is '$first', not the one at 0x$off"
    # The function is the last "func[N] <name>:" header before that instruction.
    func=$(awk -v want="$off" '
      /^[0-9a-f]+ func\[[0-9]+\] <.*>:$/ { f = $0; sub(/^.*</, "", f); sub(/>:$/, "", f) }
      { o = $1; sub(/:$/, "", o); sub(/^0+/, "", o) }
      o == want { print f; exit }' disasm.txt)
    [[ "$func" == "$1" ]] || fail "0x$off is in function '$func', not '$1'"
    note "$2: first use at 0x$off in $func: ${line##*| }"
  }
  check_first_use hit_test sign-ext 'i32\.extend(8|16)_s'
  check_first_use snap_px nontrapping-float-to-int 'i32\.trunc_sat_f32_s'
  check_first_use engine_init bulk-memory '(memory\.(copy|fill|init)|data\.drop)'
fi

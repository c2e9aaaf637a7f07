#!/usr/bin/env bash
# A profile whose VM lacks a feature the engine uses, and that fleetpack cannot lower, fails the build
# with exit 1 (check-features): the built-in `mvp` (-p mvp) and the demo's user profile `tv-2019`
# (extends mvp). The demo engine's sign-ext, trunc_sat and bulk-memory uses are lowered; its exported
# mutable global (__stack_pointer) has no lowering. stderr names the profile, the feature, the place in
# the input (`engine.wasm:0x...`) and the way out; the table marks the profile FAILED; nothing is written.
source "$(dirname "$0")/lib.sh"
setup
demo_project proj
cd proj
engine_re=$(re_escape "$DEMO_ENGINE")

for p in mvp tv-2019; do
  run_fp 1 build -p "$p"
  loc="^$engine_re:0x[0-9a-f]+: error: profile '$p': "
  assert_matches "$ERR" "${loc}the module uses feature 'mutable-globals' \(mutable global export \"__stack_pointer\"; 1 use after optimization\), which the profile's VM lacks and fleetpack cannot lower$"
  [[ $(grep -c ': error: ' "$ERR") -eq 1 ]] || { show_output; fail "$p: expected exactly 1 error (the lowerable features are lowered)"; }
  assert_not_contains "$ERR" "'sign-ext'"
  assert_not_contains "$ERR" "'bulk-memory'"
  assert_not_contains "$ERR" "'nontrapping-float-to-int'"
  # The way out: the profile's feature list, another profile, or the compiler flag.
  assert_contains "$ERR" "hint: add 'mutable-globals' to wasm.features if the profile's devices support it"
  assert_contains "$ERR" "clang -mno-mutable-globals"
  assert_matches "$OUT" "^$p +[0-9a-f]{12} +Oz +[0-9]+ +- +- +FAILED +-$"
  assert_contains "$OUT" "nothing written"
  assert_no_path dist/demo/1.0.0
  assert_no_files dist
done


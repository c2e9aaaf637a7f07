#!/usr/bin/env bash
# A feature fleetpack cannot lower (SIMD here) stops the build for a profile without it: exit 1, naming
# the profile, the feature, the function and the byte offset of its first use, and the way out. A profile
# with SIMD builds the same module.
source "$(dirname "$0")/lib.sh"
setup
cat > simd.wat <<'WAT'
(module
  (func $scale (export "scale") (param f32) (result f32)
    (f32x4.extract_lane 0 (f32x4.mul (f32x4.splat (local.get 0)) (v128.const f32x4 2 2 2 2)))))
WAT
expect_exit 0 "$WAT2WASM" --debug-names simd.wat -o simd.wasm
run_fp 1 build --engine simd.wasm -p chrome85 --out out
assert_matches "$ERR" "^simd\.wasm:0x[0-9a-f]+: error: profile 'chrome85': function 'scale' uses feature 'simd' \(f32x4\.splat; [0-9]+ uses? after optimization\), which the profile's VM lacks and fleetpack cannot lower$"
assert_contains "$ERR" "clang -mno-simd128"
assert_no_path out/simd
run_fp 0 build --engine simd.wasm -p chrome91 --out out
[[ -f out/simd/0.0.0/profiles/chrome91.json ]] || fail "chrome91 (with simd) should build"
# The same through `fleetpack lower`, without optimizing.
run_fp 1 lower simd.wasm --features sign-ext -o lowered.wasm
assert_matches "$ERR" "^simd\.wasm:0x[0-9a-f]+: error: profile '--features sign-ext': function 'scale' uses feature 'simd'"
[[ ! -e lowered.wasm ]] || fail "lower wrote an output despite the error"

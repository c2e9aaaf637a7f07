#!/usr/bin/env bash
# A feature JS cannot express (SIMD) in an engine built for a profile without Wasm: a clear error naming
# the profile, the feature and the function, exit 1, nothing written.
source "$(dirname "$0")/lib.sh"
setup
cat > simd.wat <<'WAT'
(module
  (func $dot4 (export "dot4") (param i32 i32) (result i32)
    (i32x4.extract_lane 0 (i32x4.mul (i32x4.splat (local.get 0)) (i32x4.splat (local.get 1)))))
  (func (export "plain") (param i32) (result i32) (i32.add (local.get 0) (i32.const 1))))
WAT
expect_exit 0 "$WAT2WASM" simd.wat -o simd.wasm
run_fp 1 build --engine simd.wasm -p no-wasm-es5 -o out
assert_contains "$ERR" "no-wasm-es5"
assert_contains "$ERR" "simd"
assert_contains "$ERR" "dot4"
assert_contains "$ERR" "the JS fallback cannot express"
assert_no_path out

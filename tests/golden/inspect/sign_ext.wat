;; WAT2WASM: --disable-mutable-globals --disable-saturating-float-to-int --disable-simd --disable-multi-value --disable-bulk-memory --disable-reference-types
;; sign-ext alone: all 5 sign-extension operators (3 i64, 2 i32), the first one in the second function.
(module
  (func $plain (export "plain") (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
  (func $ext32 (export "ext32") (param i32) (result i32)
    (i32.add (i32.extend8_s (local.get 0)) (i32.extend16_s (local.get 0))))
  (func $ext64 (export "ext64") (param i64) (result i64)
    (i64.add (i64.extend8_s (local.get 0))
      (i64.add (i64.extend16_s (local.get 0)) (i64.extend32_s (local.get 0))))))

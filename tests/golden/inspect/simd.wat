;; WAT2WASM: --disable-mutable-globals --disable-saturating-float-to-int --disable-sign-extension --disable-multi-value --disable-bulk-memory --disable-reference-types
;; simd alone: v128 locals and i32x4 operations inside a function whose signature is MVP.
(module
  (func (export "sum4") (param i32) (result i32)
    (local $v v128)
    (local.set $v (i32x4.splat (local.get 0)))
    (local.set $v (i32x4.add (local.get $v) (v128.const i32x4 1 2 3 4)))
    (i32x4.extract_lane 3 (local.get $v))))

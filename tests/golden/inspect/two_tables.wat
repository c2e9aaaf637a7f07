;; WAT2WASM: --disable-mutable-globals --disable-saturating-float-to-int --disable-sign-extension --disable-simd --disable-multi-value
;; reference-types alone: two funcref tables (no call_indirect, no table instruction).
(module
  (table $a 1 funcref)
  (table $b 2 8 funcref)
  (func $f)
  (elem (table $a) (i32.const 0) func $f)
  (export "b" (table $b)))

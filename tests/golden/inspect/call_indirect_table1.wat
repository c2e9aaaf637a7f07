;; WAT2WASM: --disable-mutable-globals --disable-saturating-float-to-int --disable-sign-extension --disable-simd --disable-multi-value
;; reference-types: call_indirect on table 1 (plus an MVP-encoded call_indirect on table 0 first).
(module
  (type $v (func (result i32)))
  (table $t0 1 funcref)
  (table $t1 1 funcref)
  (func $one (type $v) (i32.const 1))
  (elem (table $t0) (i32.const 0) func $one)
  (elem (table $t1) (i32.const 0) func $one)
  (func (export "both") (result i32)
    (i32.add
      (call_indirect $t0 (type $v) (i32.const 0))
      (call_indirect $t1 (type $v) (i32.const 0)))))

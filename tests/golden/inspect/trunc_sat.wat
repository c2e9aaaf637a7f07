;; WAT2WASM: --disable-mutable-globals --disable-sign-extension --disable-simd --disable-multi-value --disable-bulk-memory --disable-reference-types
;; nontrapping-float-to-int alone: each of the 8 trunc_sat operators once.
(module
  (func (export "i32") (param f32 f64) (result i32)
    (i32.add
      (i32.add (i32.trunc_sat_f32_s (local.get 0)) (i32.trunc_sat_f32_u (local.get 0)))
      (i32.add (i32.trunc_sat_f64_s (local.get 1)) (i32.trunc_sat_f64_u (local.get 1)))))
  (func (export "i64") (param f32 f64) (result i64)
    (i64.add
      (i64.add (i64.trunc_sat_f32_s (local.get 0)) (i64.trunc_sat_f32_u (local.get 0)))
      (i64.add (i64.trunc_sat_f64_s (local.get 1)) (i64.trunc_sat_f64_u (local.get 1))))))

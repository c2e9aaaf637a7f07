;; WAT2WASM: --disable-mutable-globals --disable-saturating-float-to-int --disable-sign-extension --disable-simd --disable-multi-value
;; reference-types alone through its instructions only: table.size on an MVP funcref table, ref.null and
;; ref.is_null. No reference-typed value in any type, local, global or second table, so only the
;; instructions show the feature: 3 uses, the first being table.size in 'n'.
(module
  (table 1 funcref)
  (func (export "n") (result i32) (table.size 0))
  (func (export "r") (result i32) (ref.is_null (ref.null func))))

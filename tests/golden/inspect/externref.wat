;; WAT2WASM: --disable-mutable-globals --disable-saturating-float-to-int --disable-sign-extension --disable-simd --disable-multi-value
;; reference-types alone: an externref parameter (no bulk-memory instruction, segment or DataCount section).
(module
  (func (export "is_null") (param $x externref) (result i32)
    (ref.is_null (local.get $x))))

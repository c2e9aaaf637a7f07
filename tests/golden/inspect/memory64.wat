;; WAT2WASM: --enable-memory64 --disable-mutable-globals --disable-saturating-float-to-int --disable-sign-extension --disable-simd --disable-multi-value --disable-bulk-memory --disable-reference-types
;; memory64 alone: a 64-bit memory (1..4 pages) with an i64 address.
(module
  (memory i64 1 4)
  (func (export "peek") (param i64) (result i32) (i32.load (local.get 0))))

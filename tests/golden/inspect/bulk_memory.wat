;; WAT2WASM: --disable-mutable-globals --disable-saturating-float-to-int --disable-sign-extension --disable-simd --disable-multi-value --disable-reference-types
;; bulk-memory alone through memory.copy and memory.fill, with active data only: no DataCount section.
(module
  (memory 1)
  (data (i32.const 0) "abcd")
  (func (export "copy") (memory.copy (i32.const 8) (i32.const 0) (i32.const 4)))
  (func (export "fill") (memory.fill (i32.const 16) (i32.const 0) (i32.const 32))))

;; WAT2WASM: --disable-mutable-globals --disable-saturating-float-to-int --disable-sign-extension --disable-simd --disable-multi-value --disable-reference-types
;; bulk-memory through a passive data segment, memory.init and data.drop: the DataCount section is present.
(module
  (memory 1)
  (data $active (i32.const 0) "xy")
  (data $blob "passive!")
  (func (export "init")
    (memory.init $blob (i32.const 64) (i32.const 0) (i32.const 8))
    (data.drop $blob)))

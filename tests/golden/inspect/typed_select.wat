;; WAT2WASM: --disable-mutable-globals --disable-saturating-float-to-int --disable-sign-extension --disable-simd --disable-multi-value
;; reference-types alone: a typed select (opcode 0x1c) on i32 values; an untyped select beside it is MVP.
(module
  (func (export "pick") (param i32 i32 i32) (result i32)
    (i32.add
      (select (local.get 0) (local.get 1) (local.get 2))
      (select (result i32) (local.get 0) (local.get 1) (local.get 2)))))

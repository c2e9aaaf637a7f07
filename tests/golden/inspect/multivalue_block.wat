;; WAT2WASM: --disable-mutable-globals --disable-saturating-float-to-int --disable-sign-extension --disable-simd --disable-bulk-memory --disable-reference-types
;; multivalue alone: a block with a parameter, encoded with a type index ([i32] -> [i32]); no function
;; type returns more than one value.
(module
  (type $t (func (param i32) (result i32)))
  (func (export "twice") (param i32) (result i32)
    (local.get 0)
    (block (type $t) (param i32) (result i32)
      (i32.mul (i32.const 2)))))

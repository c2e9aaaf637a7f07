;; WAT2WASM: --disable-mutable-globals --disable-saturating-float-to-int --disable-sign-extension --disable-simd --disable-bulk-memory --disable-reference-types
;; multivalue alone: a function type returning 2 values (type 1), used by a defined, exported function.
(module
  (func $id (param i32) (result i32) (local.get 0))
  (func $divmod (export "divmod") (param i32 i32) (result i32 i32)
    (i32.div_u (local.get 0) (local.get 1))
    (i32.rem_u (local.get 0) (local.get 1))))

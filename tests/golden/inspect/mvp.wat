;; WAT2WASM: --disable-mutable-globals --disable-saturating-float-to-int --disable-sign-extension --disable-simd --disable-multi-value --disable-bulk-memory --disable-reference-types
;; MVP only: one memory (1..2 pages), an active data segment, an immutable global, one table with an
;; element segment and an MVP-encoded call_indirect. No post-MVP feature, no DataCount section.
(module
  (type $binop (func (param i32 i32) (result i32)))
  (memory (export "memory") 1 2)
  (data (i32.const 16) "hello")
  (global $base i32 (i32.const 1024))
  (table 2 funcref)
  (elem (i32.const 0) $add $sub)
  (func $add (type $binop) (i32.add (local.get 0) (local.get 1)))
  (func $sub (type $binop) (i32.sub (local.get 0) (local.get 1)))
  (func (export "apply") (param $which i32) (param $a i32) (param $b i32) (result i32)
    (call_indirect (type $binop) (local.get $a) (local.get $b) (local.get $which)))
  (func (export "load") (result i32)
    (i32.load8_u (i32.add (global.get $base) (i32.const 0)))))

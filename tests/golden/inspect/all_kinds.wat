;; WAT2WASM: --disable-mutable-globals --disable-saturating-float-to-int --disable-sign-extension --disable-simd --disable-multi-value --disable-bulk-memory --disable-reference-types
;; Imports of all 4 kinds (func, table, memory, immutable global) and exports of all 4 kinds (a defined
;; func and the imported func, the imported table, memory and global, a defined immutable global); MVP.
(module
  (import "env" "f" (func $f (param i32 i64) (result f64)))
  (import "env" "table" (table 3 10 funcref))
  (import "env" "memory" (memory 2))
  (import "env" "base" (global $base i32))
  (global $answer f32 (f32.const 42))
  (func $g (export "g") (result f64) (call $f (global.get $base) (i64.const 7)))
  (export "f_again" (func $f))
  (export "tbl" (table 0))
  (export "mem" (memory 0))
  (export "base" (global $base))
  (export "answer" (global $answer)))

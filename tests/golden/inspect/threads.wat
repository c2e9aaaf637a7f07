;; WAT2WASM: --enable-threads --disable-mutable-globals --disable-saturating-float-to-int --disable-sign-extension --disable-simd --disable-multi-value --disable-bulk-memory --disable-reference-types
;; threads alone: an imported shared memory (1..16 pages) and atomic operations.
(module
  (import "env" "memory" (memory 1 16 shared))
  (func (export "add") (param i32) (result i32)
    (i32.atomic.rmw.add (i32.const 0) (local.get 0)))
  (func (export "wake") (result i32)
    (memory.atomic.notify (i32.const 4) (i32.const 1))))

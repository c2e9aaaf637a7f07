;; WAT2WASM: --disable-saturating-float-to-int --disable-sign-extension --disable-simd --disable-multi-value --disable-bulk-memory --disable-reference-types
;; mutable-globals alone through an imported mutable global (an immutable import beside it does not count).
(module
  (import "env" "limit" (global $limit i32))
  (import "env" "__stack_pointer" (global $sp (mut i32)))
  (func (export "bump") (result i32)
    (global.set $sp (i32.sub (global.get $sp) (global.get $limit)))
    (global.get $sp)))

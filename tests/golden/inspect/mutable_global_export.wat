;; WAT2WASM: --disable-saturating-float-to-int --disable-sign-extension --disable-simd --disable-multi-value --disable-bulk-memory --disable-reference-types
;; mutable-globals alone through an exported mutable global; an exported immutable global does not count.
(module
  (global $version i32 (i32.const 3))
  (global $counter (mut i64) (i64.const 0))
  (export "version" (global $version))
  (export "counter" (global $counter))
  (func (export "tick") (global.set $counter (i64.add (global.get $counter) (i64.const 1)))))

;; WAT2WASM: --enable-tail-call --disable-mutable-globals --disable-saturating-float-to-int --disable-sign-extension --disable-simd --disable-multi-value --disable-bulk-memory --disable-reference-types
;; tail-call alone: return_call in a countdown loop.
(module
  (func $down (export "down") (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0))
      (then (i32.const 0))
      (else (return_call $down (i32.sub (local.get 0) (i32.const 1)))))))

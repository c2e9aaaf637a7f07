;; WAT2WASM: --disable-mutable-globals --disable-saturating-float-to-int --disable-sign-extension --disable-simd --disable-multi-value
;; reference-types alone through ref.func and table.fill on an MVP funcref table with an MVP active
;; element segment: 2 uses, the first being ref.func. wabt 1.0.32 accepts both instructions even with
;; every feature off (so re-validation cannot find them), but MVP engines and Binaryen without
;; reference-types reject them.
(module
  (table 1 funcref)
  (func $f (export "fill") (table.fill 0 (i32.const 0) (ref.func $f) (i32.const 1)))
  (elem (i32.const 0) $f))

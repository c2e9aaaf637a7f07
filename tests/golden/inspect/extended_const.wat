;; WAT2WASM: --enable-extended-const --disable-mutable-globals --disable-saturating-float-to-int --disable-sign-extension --disable-simd --disable-multi-value --disable-bulk-memory --disable-reference-types
;; extended-const alone: a global initialised with i32.add/i32.mul of constants (MVP opcodes outside
;; constant expressions, so only re-validation can find them).
(module
  (global $g i32 (i32.add (i32.const 1000) (i32.mul (i32.const 2) (i32.const 12))))
  (func (export "g") (result i32) (global.get $g)))

;; WAT2WASM: --debug-names --disable-mutable-globals --disable-saturating-float-to-int --disable-sign-extension --disable-simd --disable-multi-value --disable-bulk-memory --disable-reference-types
;; A name section (wat2wasm --debug-names) and 7 defined functions of different sizes after an imported
;; one, for top_functions (--top 5): ordered by body size, largest first, ties in index order; labels
;; come from the name section, else an export name, else func[N].
(module
  (import "env" "log" (func $log (param i32)))
  (func $tiny)
  (func $medium (param i32) (result i32)
    (i32.add (i32.mul (local.get 0) (i32.const 3)) (i32.const 7)))
  (func $large (param i32) (result i32)
    (local i32 i32)
    (local.set 1 (i32.mul (local.get 0) (local.get 0)))
    (local.set 2 (i32.add (local.get 1) (i32.const 12345)))
    (call $log (local.get 2))
    (i32.xor (local.get 1) (i32.shl (local.get 2) (i32.const 3))))
  (func $small (result i32) (i32.const 42))
  (func (export "unnamed_export") (result i32) (i32.const 4242))
  (func (result i32) (i32.const 4243))
  (func $huge (param i32) (result i32)
    (local i32)
    (local.set 1 (i32.const 0))
    (block $done
      (loop $again
        (br_if $done (i32.ge_u (local.get 1) (local.get 0)))
        (call $log (local.get 1))
        (local.set 1 (i32.add (local.get 1) (i32.const 1)))
        (br $again)))
    (i32.add (local.get 1) (i32.const 100000))))

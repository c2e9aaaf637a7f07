;; WAT2WASM: --enable-exceptions
;; exception-handling alone (the legacy try/catch encoding wabt 1.0.32 knows): a tag, throw, try/catch.
(module
  (tag $oops (param i32))
  (func $thrower (param i32) (throw $oops (local.get 0)))
  (func (export "guarded") (param i32) (result i32)
    (try (result i32)
      (do (call $thrower (local.get 0)) (i32.const 0))
      (catch $oops))))

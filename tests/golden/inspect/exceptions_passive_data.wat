;; WAT2WASM: --enable-exceptions
;; exception-handling together with bulk-memory through a passive data segment only (no memory.init,
;; no data.drop, so wat2wasm writes no DataCount section): bulk-memory is used (wasm-validate
;; --enable-all --disable-bulk-memory rejects the segment; exceptions stay on there, since wabt 1.0.32
;; ties only reference-types to bulk-memory).
(module
  (memory 1)
  (data $blob "zz")
  (tag $t)
  (func (export "f") (try (do (throw $t)) (catch $t))))

;; WAT2WASM: --no-canonicalize-leb128s --debug-names --disable-mutable-globals --disable-saturating-float-to-int --disable-sign-extension --disable-simd --disable-multi-value --disable-bulk-memory --disable-reference-types
;; Section sizes (and other LEB128s) padded to 5 bytes, as Go's linker and some other toolchains write
;; them: every section header is 6 bytes (id + 5-byte size), so header_offset = offset - 6, including the
;; custom "name" section. MVP only.
(module
  (memory 1)
  (func $double (export "double") (param i32) (result i32)
    (i32.mul (local.get 0) (i32.const 2)))
  (func $id (param i32) (result i32) (local.get 0)))

;; Passive data segments initialized the way wasm-ld's __wasm_init_memory does it (no shared memory, no
;; PIC): the start function's first instructions are memory.init/memory.fill with constant operands and
;; data.drop. The lowering turns them into active segments placed after the existing one (so a segment
;; the start function writes over an active one still wins), keeps the fill, and drops a passive segment
;; nothing reads. The exports read the result and copy within it.
(module
  (memory (export "memory") 1)
  (data $active (i32.const 96) "ACTIVE SEGMENT, partly overwritten by the start function")
  (data $rodata "read-only data: 0123456789abcdefghijklmnopqrstuvwxyz")
  (data $data "\de\ad\be\ef\01\02\03\04\05\06\07\08 mutable data")
  (data $unused "never read")
  (data $tail "the last bytes of the page")

  (func $__wasm_init_memory
    (memory.init $rodata (i32.const 16) (i32.const 0) (i32.const 52))
    (memory.fill (i32.const 200) (i32.const 0x1ab) (i32.const 40))
    (memory.init $data (i32.const 100) (i32.const 4) (i32.const 18))
    (memory.init $tail (i32.const 65510) (i32.const 0) (i32.const 26))
    (data.drop $rodata)
    (data.drop $data)
    (data.drop $tail))
  (start $__wasm_init_memory)

  (func $hash (param $start i32) (param $len i32) (result i64)
    (local $h i64) (local $end i32)
    (local.set $end (i32.add (local.get $start) (local.get $len)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $start) (local.get $end)))
        (local.set $h (i64.add (i64.mul (local.get $h) (i64.const 1099511628211))
                               (i64.load8_u (local.get $start))))
        (local.set $start (i32.add (local.get $start) (i32.const 1)))
        (br $next)))
    (local.get $h))

  (func (export "peek") (param $addr i32) (result i32) (i32.load8_u (i32.and (local.get $addr) (i32.const 0xffff))))
  (func (export "peek_low") (param $addr i32) (result i32) (i32.load8_u (i32.and (local.get $addr) (i32.const 255))))
  (func (export "peek_high") (param $addr i32) (result i32)
    (i32.load8_u (i32.sub (i32.const 65535) (i32.and (local.get $addr) (i32.const 63)))))
  (func (export "checksum") (result i64)
    (i64.add (call $hash (i32.const 0) (i32.const 256)) (call $hash (i32.const 65280) (i32.const 256))))
  ;; data.drop of a segment that became active does nothing, before and after.
  (func (export "drop_again") (result i64)
    (data.drop $rodata) (data.drop $unused)
    (call $hash (i32.const 0) (i32.const 256)))
  (func (export "copy_low") (param $a i32) (param $b i32) (param $n i32) (result i64)
    (memory.copy (i32.and (local.get $a) (i32.const 127)) (i32.and (local.get $b) (i32.const 127))
                 (i32.and (local.get $n) (i32.const 127)))
    (call $hash (i32.const 0) (i32.const 256)))
)

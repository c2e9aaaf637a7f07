;; memory.copy and memory.fill against the helpers that replace them: raw operands (the harness's edge
;; values hit 0, 1, 65535, 65536 = exactly the end, 65537 = one past it, and huge unsigned values), and
;; operands folded into small windows: overlapping copies in both directions, every relative alignment,
;; zero lengths, the last bytes of memory, fill values above 255. A grow export moves the end between one
;; and two pages. Every op returns a checksum of the bytes it may have touched, so wabt's interpreter
;; (which compares results only) sees the memory too; node compares the whole exported memory.
(module
  (memory (export "memory") 1 2)
  (data (i32.const 0) "\00\01\02\03\04\05\06\07\08\09\0a\0b\0c\0d\0e\0f\10\11\12\13\14\15\16\17\18\19\1a\1b\1c\1d\1e\1f")
  (data (i32.const 32) "the quick brown fox jumps over the lazy dog 0123456789 THE QUICK BROWN FOX JUMPS OVER")
  (data (i32.const 1000) "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!@#$%^&*()-=_+[]{};:,.<>/?")
  (data (i32.const 65440) "end of the first page: 0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ!?")

  (func $size (result i32) (i32.shl (memory.size) (i32.const 16)))

  ;; A hash of the bytes [start, start + len), len a multiple of 8, read as i64 words.
  (func $hash (param $start i32) (param $len i32) (result i64)
    (local $h i64) (local $end i32)
    (local.set $end (i32.add (local.get $start) (local.get $len)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $start) (local.get $end)))
        (local.set $h (i64.add (i64.mul (local.get $h) (i64.const 1099511628211))
                               (i64.load (local.get $start))))
        (local.set $start (i32.add (local.get $start) (i32.const 8)))
        (br $next)))
    (local.get $h))
  (func $hash_low (result i64) (call $hash (i32.const 0) (i32.const 1536)))
  (func $hash_high (result i64) (call $hash (i32.sub (call $size) (i32.const 1536)) (i32.const 1536)))

  ;; Raw operands.
  (func (export "copy") (param $dst i32) (param $src i32) (param $n i32) (result i64)
    (memory.copy (local.get $dst) (local.get $src) (local.get $n))
    (i64.add (call $hash_low) (call $hash_high)))
  (func (export "fill") (param $dst i32) (param $val i32) (param $n i32) (result i64)
    (memory.fill (local.get $dst) (local.get $val) (local.get $n))
    (i64.add (call $hash_low) (call $hash_high)))

  ;; Overlapping copies within the first 512 bytes, both directions, any alignment, n from 0 to 255.
  (func (export "copy_overlap") (param $a i32) (param $b i32) (param $n i32) (result i64)
    (memory.copy (i32.and (local.get $a) (i32.const 255)) (i32.and (local.get $b) (i32.const 255))
                 (i32.and (local.get $n) (i32.const 255)))
    (call $hash_low))
  ;; Source and destination a few bytes apart (the 8-byte word path and its byte edges), longer runs.
  (func (export "copy_shift") (param $a i32) (param $d i32) (param $n i32) (result i64)
    (local $src i32)
    (local.set $src (i32.add (i32.const 512) (i32.and (local.get $a) (i32.const 15))))
    (memory.copy (i32.add (local.get $src) (i32.sub (i32.and (local.get $d) (i32.const 31)) (i32.const 16)))
                 (local.get $src) (i32.and (local.get $n) (i32.const 1023)))
    (call $hash_low))
  ;; Near the end of memory: exactly at the end is fine, one byte past traps (before any write).
  (func (export "copy_end") (param $a i32) (param $b i32) (param $n i32) (result i64)
    (memory.copy (i32.sub (call $size) (i32.and (local.get $a) (i32.const 511)))
                 (i32.sub (call $size) (i32.and (local.get $b) (i32.const 511)))
                 (i32.and (local.get $n) (i32.const 511)))
    (call $hash_high))
  ;; Between the low window and the end (both checked), far apart.
  (func (export "copy_far") (param $a i32) (param $n i32) (result i64)
    (memory.copy (i32.sub (call $size) (i32.and (local.get $a) (i32.const 1023)))
                 (i32.and (local.get $a) (i32.const 511)) (i32.and (local.get $n) (i32.const 1023)))
    (i64.add (call $hash_low) (call $hash_high)))

  (func (export "fill_low") (param $a i32) (param $val i32) (param $n i32) (result i64)
    (memory.fill (i32.and (local.get $a) (i32.const 511)) (local.get $val) (i32.and (local.get $n) (i32.const 1023)))
    (call $hash_low))
  (func (export "fill_end") (param $a i32) (param $val i32) (param $n i32) (result i64)
    (memory.fill (i32.sub (call $size) (i32.and (local.get $a) (i32.const 1023))) (local.get $val)
                 (i32.and (local.get $n) (i32.const 1023)))
    (call $hash_high))

  (func (export "peek") (param $addr i32) (result i32) (i32.load8_u (i32.and (local.get $addr) (i32.const 0x1ffff))))
  (func (export "checksum") (result i64) (i64.add (call $hash_low) (call $hash_high)))
  (func (export "grow") (param $n i32) (result i32) (memory.grow (i32.and (local.get $n) (i32.const 1))))
)

;; The three lowerings together, as a module from rustc 1.87+ (multivalue, reference-types and bulk-memory
;; on by default) may need them: a parameter block around memory.copy, a typed select, call_indirect
;; through a table that a declarative segment also names, and memory.fill in a loop.
(module
  (type $op (func (param i32 i32) (result i32)))
  (memory (export "memory") 1)
  (table 4 funcref)
  (elem (i32.const 0) func $min $max $sum)
  (elem declare func $sum)
  (data (i32.const 0) "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")

  (func $min (type $op) (select (result i32) (local.get 0) (local.get 1) (i32.lt_s (local.get 0) (local.get 1))))
  (func $max (type $op) (select (result i32) (local.get 0) (local.get 1) (i32.gt_s (local.get 0) (local.get 1))))
  (func $sum (type $op) (i32.add (local.get 0) (local.get 1)))

  (func $hash (result i64)
    (local $i i32) (local $h i64)
    (loop $next
      (local.set $h (i64.add (i64.mul (local.get $h) (i64.const 31)) (i64.load (local.get $i))))
      (local.set $i (i32.add (local.get $i) (i32.const 8)))
      (br_if $next (i32.lt_u (local.get $i) (i32.const 256))))
    (local.get $h))

  ;; Moves n bytes inside the first 256, the operands passed as block parameters.
  (func (export "shift") (param $dst i32) (param $src i32) (param $n i32) (result i64)
    (i32.and (local.get $dst) (i32.const 127))
    (i32.and (local.get $src) (i32.const 127))
    (i32.and (local.get $n) (i32.const 127))
    (block (param i32 i32 i32) (memory.copy))
    (call $hash))

  ;; Fills k stripes of 3 bytes, 5 apart, with v.
  (func (export "stripes") (param $k i32) (param $v i32) (result i64)
    (local $i i32)
    (local.set $k (i32.and (local.get $k) (i32.const 31)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $k)))
        (memory.fill (i32.mul (local.get $i) (i32.const 5)) (local.get $v) (i32.const 3))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (call $hash))

  (func (export "apply") (param $which i32) (param $a i32) (param $b i32) (result i32)
    (local.get $a) (local.get $b)
    (if (param i32 i32) (result i32) (i32.lt_u (local.get $which) (i32.const 8))
      (then (call_indirect (type $op) (i32.and (local.get $which) (i32.const 3))))
      (else (i32.xor))))
)

;; Blocks and ifs with parameters (their parameters go through new locals), an if with parameters and
;; no else (its results are its parameters), nested parameter blocks, branches out of them (br, br_if,
;; br_table carry results, never parameters), parameter blocks inside loops, and a type with several
;; results that nothing uses (the lowering removes it).
(module
  (type $unused_pair (func (param i32) (result i32 i64)))
  (memory (export "memory") 1)
  (global $calls (mut i32) (i32.const 0))

  (func (export "mix") (param $a i32) (param $b i64) (result i64)
    (local.get $b) (local.get $a)
    (block (param i64 i32) (result i64)
      (i32.rotl (i32.const 7))
      (i64.extend_i32_s)
      (i64.xor)
      (i64.mul (i64.const 3))
      (i64.sub (i64.const 17))
      (i64.rem_u (i64.const 1000003))))

  (func (export "choose") (param $a i32) (param $b i32) (param $c f64) (result f64)
    (local.get $c) (local.get $a)
    (if (param f64 i32) (result f64) (local.get $b)
      (then (f64.convert_i32_s) (f64.add))
      (else (f64.convert_i32_u) (f64.sub))))

  ;; No else: when the condition is false the parameter is the result.
  (func (export "maybe_double") (param $a i32) (param $b i32) (result i32)
    (local.get $a)
    (if (param i32) (result i32) (i32.and (local.get $b) (i32.const 1))
      (then (i32.mul (i32.const 2)))))

  (func (export "nested") (param $a i32) (param $b i32) (result i32)
    (local.get $a)
    (block (param i32) (result i32)
      (local.get $b)
      (block (param i32 i32) (result i32)
        (i32.add)
        (i32.const 9)
        (block (param i32 i32) (result i32) (i32.mul)))
      (i32.const 1) (i32.xor)))

  ;; Branches out of parameter blocks carry the block's result.
  (func (export "branches") (param $a i32) (param $k i32) (result i32)
    (local.get $a)
    (block $outer (param i32) (result i32)
      (block $inner (param i32) (result i32)
        (br_if $outer (i32.add (i32.const 1000)) (i32.eq (local.get $k) (i32.const 0)))
        (i32.mul (i32.const 3))
        (local.get $k)
        (br_table $inner $outer $inner))
      (i32.add (i32.const 7))))

  ;; A parameter block inside a loop, with memory effects.
  (func (export "accumulate") (param $n i32) (param $seed i32) (result i32)
    (local $i i32)
    (global.set $calls (i32.add (global.get $calls) (i32.const 1)))
    (local.set $n (i32.and (local.get $n) (i32.const 63)))
    (loop $next
      (if (i32.lt_u (local.get $i) (local.get $n))
        (then
          (i32.shl (local.get $i) (i32.const 2))
          (i32.add (local.get $seed) (local.get $i))
          (block (param i32 i32)
            (i32.mul (i32.const 2654435761))
            (i32.store))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $next))))
    (i32.add (global.get $calls) (i32.load (i32.shl (i32.and (local.get $seed) (i32.const 63)) (i32.const 2)))))

  (func (export "peek") (param $addr i32) (result i32) (i32.load (i32.and (local.get $addr) (i32.const 252))))
)
